{#
    One row per dispute (chargeback), in major units and in USD at the rate of the month it was opened.
    Every dispute counts in its opening month, whatever its later outcome (won disputes give the money back
    in a later balance transaction; the dispute status says so).
#}
with disputes as (

    select * from {{ ref('stg_stripe__dispute') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

final as (

    select
        disputes.dispute_id,
        disputes.charge_id,
        disputes.balance_transaction_id,
        disputes.dispute_status,
        disputes.dispute_reason,
        disputes.currency,
        {{ kpi_layer.to_major_units('disputes.amount', 'disputes.currency') }} as amount,
        {{ kpi_layer.to_usd('disputes.amount', 'fx_rates.usd_per_unit', 'disputes.currency') }} as amount_usd,
        disputes.created_at as opened_at,
        cast({{ dbt.date_trunc('month', 'disputes.created_at') }} as date) as month_start_date
    from disputes
    left join fx_rates
        on
            disputes.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'disputes.created_at') }} as date) = fx_rates.month_start_date

)

select * from final
