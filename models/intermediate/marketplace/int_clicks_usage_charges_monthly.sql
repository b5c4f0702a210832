{#
    One row per hirer, route and usage month: the succeeded usage charges of the hirer's contracts on the
    route, in USD, for hirer_cost_per_click. A usage charge bills one month's valid clicks (its period), so it
    belongs to the month its period starts in, not the month it was charged; it converts at the rate of the
    month it was charged in, as invoice totals do. Failed charges are left out (their retry is a new charge).
#}
with charges as (

    select * from {{ ref('stg_marketplace__contract_charges') }}

),

contracts as (

    select * from {{ ref('stg_marketplace__contracts') }}

),

listings as (

    select * from {{ ref('stg_marketplace__listings') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

usage_charges as (

    select
        charges.hirer_id,
        listings.route_id,
        cast({{ dbt.date_trunc('month', 'charges.period_start_at') }} as date) as month_start_date,
        {{ kpi_layer.to_usd(
            'charges.charge_amount', 'fx_rates.usd_per_unit', 'charges.currency'
        ) }} as usage_charges_usd
    from charges
    inner join contracts
        on charges.contract_id = contracts.contract_id
    inner join listings
        on contracts.listing_id = listings.listing_id
    left join fx_rates
        on
            charges.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'charges.charged_at') }} as date) = fx_rates.month_start_date
    where
        charges.charge_type = 'usage'
        and charges.charge_status = 'succeeded'

),

final as (

    select
        hirer_id,
        route_id,
        month_start_date,
        count(*) as usage_charge_count,
        {{ kpi_layer.as_amount('sum(usage_charges_usd)') }} as usage_charges_usd
    from usage_charges
    group by 1, 2, 3

)

select * from final
