{#
    Every Connect transfer of an owner's or a tutor's share of a charge to their connected account, with
    any reversal. The payee is found through the connected account the apps store. The transferred amount
    converts to USD at the transfer's month, the reversed amount at the month of the first reversal. The
    funding charge's time (charge_created_at) dates the share it pays: a transfer made minutes after a charge
    at 23:50 on the last day of a month belongs with that month's charges.
    A payee family switched off (using_marketplace, using_tutoring) leaves its transfers without a payee.
#}
{%- set payees = [] -%}
{%- if var('using_marketplace') %}{% do payees.append(('owner', 'stg_marketplace__owners', 'owner_id')) %}{% endif -%}
{%- if var('using_tutoring') %}{% do payees.append(('tutor', 'stg_tutoring__tutors', 'tutor_id')) %}{% endif %}
with transfers as (

    select * from {{ ref('stg_stripe__transfer') }}

),

balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

{%- for payee, model, _ in payees %}

    {{ payee }}s as (

        select * from {{ ref(model) }}

    ),
{%- endfor %}

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

reversals as (

    select
        source_id as transfer_id,
        min(created_at) as first_reversed_at
    from balance_transactions
    where reporting_category = 'transfer_reversal'
    group by source_id

),

final as (

    select
        transfers.transfer_id,
        transfers.balance_transaction_id,
        transfers.charge_id,
        transfers.transfer_group,
        transfers.destination_account_id,
        {%- if payees %}
            case
                {%- for payee, _, key in payees %}
                    when {{ payee }}s.{{ key }} is not null then '{{ payee }}'
                {%- endfor %}
            end as payee_type,
            coalesce(
                {%- for payee, _, key in payees %}
                    {{ payee }}s.{{ key }},
                {%- endfor %}
                cast(null as {{ dbt.type_string() }})
            ) as payee_id,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as payee_type,
        cast(null as {{ dbt.type_string() }}) as payee_id,
        {%- endif %}
        transfers.app_name,
        transfers.app_object_type,
        transfers.app_object_id,
        transfers.currency,
        {{ kpi_layer.to_major_units('transfers.amount', 'transfers.currency') }} as amount,
        {{ kpi_layer.to_major_units(
            'coalesce(transfers.reversed_amount, 0)', 'transfers.currency'
        ) }} as reversed_amount,
        {{ kpi_layer.to_major_units(
            'transfers.amount - coalesce(transfers.reversed_amount, 0)', 'transfers.currency'
        ) }}
            as net_transferred_amount,
        {{ kpi_layer.to_usd('transfers.amount', 'transfer_fx.usd_per_unit', 'transfers.currency') }} as amount_usd,
        {{ kpi_layer.to_usd(
            'coalesce(transfers.reversed_amount, 0)',
            'coalesce(reversal_fx.usd_per_unit, transfer_fx.usd_per_unit)',
            'transfers.currency'
        ) }} as reversed_amount_usd,
        transfers.is_reversed,
        transfers.created_at,
        cast(transfers.created_at as date) as created_date,
        charges.created_at as charge_created_at,
        reversals.first_reversed_at
    from transfers
    left join reversals
        on transfers.transfer_id = reversals.transfer_id
    left join charges
        on transfers.charge_id = charges.charge_id
    {%- for payee, _, _ in payees %}
        left join {{ payee }}s
            on transfers.destination_account_id = {{ payee }}s.stripe_account_id
    {%- endfor %}
    left join fx_rates as transfer_fx
        on
            transfers.currency = transfer_fx.currency
            and cast({{ dbt.date_trunc('month', 'transfers.created_at') }} as date) = transfer_fx.month_start_date
    left join fx_rates as reversal_fx
        on
            transfers.currency = reversal_fx.currency
            and cast({{ dbt.date_trunc('month', 'reversals.first_reversed_at') }} as date)
            = reversal_fx.month_start_date

)

select * from final
