{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    gmv, platform_revenue and owner_payouts per day, in USD, on the day a charge was collected. GMV is hirer
    spend before fees and refunds (the seed's formula); a refund is money going back and is reported on the
    day it was made (refunded_usd), never by rewriting the GMV of the charge's day, so a closed day's GMV
    does not change. The days run from the first contract charge to the as-of date, so a day without charges
    is a row of zeros, not a gap.
#}
with contract_charges as (

    select * from {{ ref('fct_contract_charges') }}

),

refunds as (

    select * from {{ ref('int_refunds_converted') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

collected as (

    select
        charge_date as date_day,
        count(*) as collected_charge_count,
        sum(case when charge_type = 'period' then amount_usd else 0 end) as period_gmv_usd,
        sum(case when charge_type = 'usage' then amount_usd else 0 end) as usage_gmv_usd,
        sum(amount_usd) as gmv_usd,
        sum(platform_fee_usd) as platform_revenue_usd,
        sum(coalesce(processing_fee_usd, 0)) as processing_fees_usd,
        sum(owner_share_usd) as owner_payouts_usd
    from contract_charges
    where is_collected
    group by 1

),

refunded as (

    select
        cast(refunds.created_at as date) as date_day,
        sum(refunds.amount_usd) as refunded_usd
    from refunds
    inner join contract_charges
        on refunds.charge_id = contract_charges.stripe_charge_id
    group by 1

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(contract_charges.charge_date) from contract_charges)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        days.date_day,
        coalesce(collected.collected_charge_count, 0) as collected_charge_count,
        {{ kpi_layer.as_amount('coalesce(collected.period_gmv_usd, 0)') }} as period_gmv_usd,
        {{ kpi_layer.as_amount('coalesce(collected.usage_gmv_usd, 0)') }} as usage_gmv_usd,
        {{ kpi_layer.as_amount('coalesce(collected.gmv_usd, 0)') }} as gmv_usd,
        {{ kpi_layer.as_amount('coalesce(collected.platform_revenue_usd, 0)') }} as platform_revenue_usd,
        {{ kpi_layer.as_amount('coalesce(collected.processing_fees_usd, 0)') }} as processing_fees_usd,
        {{ kpi_layer.as_amount('coalesce(collected.owner_payouts_usd, 0)') }} as owner_payouts_usd,
        {{ kpi_layer.as_amount('coalesce(refunded.refunded_usd, 0)') }} as refunded_usd
    from days
    left join collected
        on days.date_day = collected.date_day
    left join refunded
        on days.date_day = refunded.date_day

)

select * from final
