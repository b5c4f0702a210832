{{ config(enabled=kpi_layer.using_families(['stripe', 'product'])) }}

{#
    revenue_per_creator by tier (seed 003 segments: Basic 39, Professional 99, Premium 299; plus Free for active
    creators without a plan), one row per month per tier. Tiers sum to creator_revenue_monthly.
#}
with creator_months as (

    select * from {{ ref('int_creator_months') }}

),

monthly as (

    select
        month_start_date,
        creator_tier,
        count(*) as active_creators,
        sum(revenue_usd) as revenue_usd,
        avg(revenue_growth_rate) as mean_creator_revenue_growth_rate
    from creator_months
    group by month_start_date, creator_tier

),

final as (

    select
        month_start_date,
        creator_tier,
        active_creators,
        {{ kpi_layer.as_amount('revenue_usd') }} as revenue_usd,
        {{ kpi_layer.safe_divide('revenue_usd', 'active_creators') }} as revenue_per_creator_usd,
        mean_creator_revenue_growth_rate
    from monthly

)

select * from final
