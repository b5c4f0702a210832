{#
    ad_spend across Meta and TikTok per day, with roas, cpc, cpa and seed 001's alert "ad spend > $10K/day
    without corresponding revenue". Corresponding revenue is the revenue the ads drove that day (collected
    orders carrying a campaign id); a day's spend is without it when that revenue does not cover the spend
    (ROAS < 1). ad_spend_without_revenue is the day's spend on such days and 0 otherwise, and the rule
    ad_spend_without_revenue (var kpi_alert_rules) fires above 10,000 USD. One row per day from the first
    spend to the as-of date.
#}
with ad_performance_daily as (

    select * from {{ ref('ad_performance_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        date_day,
        sum(ad_spend) as ad_spend,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(attributed_orders) as attributed_orders,
        sum(attributed_revenue) as attributed_revenue
    from ad_performance_daily
    group by date_day

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(daily.date_day) from daily)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

filled as (

    select
        days.date_day,
        {{ kpi_layer.as_amount('coalesce(daily.ad_spend, 0)') }} as ad_spend,
        coalesce(daily.clicks, 0) as clicks,
        coalesce(daily.conversions, 0) as conversions,
        coalesce(daily.attributed_orders, 0) as attributed_orders,
        {{ kpi_layer.as_amount('coalesce(daily.attributed_revenue, 0)') }} as attributed_revenue
    from days
    left join daily
        on days.date_day = daily.date_day

),

final as (

    select
        date_day,
        ad_spend,
        clicks,
        conversions,
        attributed_orders,
        attributed_revenue,
        {{ kpi_layer.safe_divide('attributed_revenue', 'ad_spend') }} as roas,
        {{ kpi_layer.safe_divide('ad_spend', 'clicks') }} as cpc,
        {{ kpi_layer.safe_divide('ad_spend', 'conversions') }} as cpa,
        {{ kpi_layer.as_amount('case when attributed_revenue < ad_spend then ad_spend else 0 end') }}
            as ad_spend_without_revenue,
        {{ kpi_layer.alert_level(
            'ad_spend_without_revenue',
            'case when attributed_revenue < ad_spend then ad_spend else 0 end',
        ) }}
            as ad_spend_without_revenue_status
    from filled

)

select * from final
