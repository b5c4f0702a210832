{{ config(enabled=kpi_layer.using_families(['stripe', 'product'])) }}

{#
    revenue_per_creator and creator_revenue_growth (seed 003), one row per month: revenue over active
    creators (free ones included: the document divides by active creators, not paying ones), the mean of
    each creator's month-over-month growth, and the shares of active creators above the document's earning
    bands (1K, 5K, 10K USD a month). Revenue is what the platform earns from the creator (int_creator_months).
#}
with creator_months as (

    select * from {{ ref('int_creator_months') }}

),

monthly as (

    select
        month_start_date,
        count(*) as active_creators,
        count(case when revenue_usd > 0 then 1 end) as paying_creators,
        sum(revenue_usd) as revenue_usd,
        count(revenue_growth_rate) as creators_with_growth_base,
        avg(revenue_growth_rate) as mean_creator_revenue_growth_rate,
        count(case when revenue_usd > 1000 then 1 end) as creators_over_1000_usd,
        count(case when revenue_usd > 5000 then 1 end) as creators_over_5000_usd,
        count(case when revenue_usd > 10000 then 1 end) as creators_over_10000_usd
    from creator_months
    group by month_start_date

),

final as (

    select
        month_start_date,
        active_creators,
        paying_creators,
        {{ kpi_layer.as_amount('revenue_usd') }} as revenue_usd,
        {{ kpi_layer.safe_divide('revenue_usd', 'active_creators') }} as revenue_per_creator_usd,
        creators_with_growth_base,
        mean_creator_revenue_growth_rate,
        creators_over_1000_usd,
        {{ kpi_layer.safe_divide('creators_over_1000_usd', 'active_creators') }} as share_creators_over_1000_usd,
        creators_over_5000_usd,
        {{ kpi_layer.safe_divide('creators_over_5000_usd', 'active_creators') }} as share_creators_over_5000_usd,
        creators_over_10000_usd,
        {{ kpi_layer.safe_divide('creators_over_10000_usd', 'active_creators') }} as share_creators_over_10000_usd
    from monthly

)

select * from final
