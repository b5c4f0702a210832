{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    owner_earnings per owner and month: the owner's share (charge - platform fee - processing fee, from
    fct_contract_charges) of the period and usage charges collected in the month, split by charge type. A
    refund is reported in the month it was made (refunded_usd), not netted out of the month the charge was
    earned in, so a closed month's earnings do not move; an owner-month appears when either happened.
#}
with contract_charges as (

    select * from {{ ref('fct_contract_charges') }}

),

refunds as (

    select * from {{ ref('int_refunds_converted') }}

),

earned as (

    select
        owner_id,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as month_start_date,
        count(*) as collected_charge_count,
        sum(case when charge_type = 'period' then amount_usd else 0 end) as period_charges_usd,
        sum(case when charge_type = 'usage' then amount_usd else 0 end) as usage_charges_usd,
        sum(case when charge_type = 'period' then owner_share_usd else 0 end) as period_earnings_usd,
        sum(case when charge_type = 'usage' then owner_share_usd else 0 end) as usage_earnings_usd,
        sum(owner_share_usd) as owner_earnings_usd
    from contract_charges
    where is_collected
    group by 1, 2

),

refunded as (

    select
        contract_charges.owner_id,
        refunds.month_start_date,
        sum(refunds.amount_usd) as refunded_usd
    from refunds
    inner join contract_charges
        on refunds.charge_id = contract_charges.stripe_charge_id
    group by 1, 2

),

owner_months as (

    select
        owner_id,
        month_start_date
    from earned
    union
    select
        owner_id,
        month_start_date
    from refunded

),

final as (

    select
        owner_months.owner_id,
        owner_months.month_start_date,
        coalesce(earned.collected_charge_count, 0) as collected_charge_count,
        {{ kpi_layer.as_amount('coalesce(earned.period_charges_usd, 0)') }} as period_charges_usd,
        {{ kpi_layer.as_amount('coalesce(earned.usage_charges_usd, 0)') }} as usage_charges_usd,
        {{ kpi_layer.as_amount('coalesce(earned.period_earnings_usd, 0)') }} as period_earnings_usd,
        {{ kpi_layer.as_amount('coalesce(earned.usage_earnings_usd, 0)') }} as usage_earnings_usd,
        {{ kpi_layer.as_amount('coalesce(earned.owner_earnings_usd, 0)') }} as owner_earnings_usd,
        {{ kpi_layer.as_amount('coalesce(refunded.refunded_usd, 0)') }} as refunded_usd
    from owner_months
    left join earned
        on
            owner_months.owner_id = earned.owner_id
            and owner_months.month_start_date = earned.month_start_date
    left join refunded
        on
            owner_months.owner_id = refunded.owner_id
            and owner_months.month_start_date = refunded.month_start_date

)

select * from final
