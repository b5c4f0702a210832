{#
    ad_spend, roas, cpc and cpa per day and ad platform (seed 001: ad spend by platform): the campaign days of
    ad_performance_daily summed, the ratios divided again over the platform's day.
#}
with ad_performance_daily as (

    select * from {{ ref('ad_performance_daily') }}

),

by_platform as (

    select
        date_day,
        platform,
        sum(ad_spend) as ad_spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(attributed_orders) as attributed_orders,
        sum(attributed_revenue) as attributed_revenue
    from ad_performance_daily
    group by date_day, platform

),

final as (

    select
        date_day,
        platform,
        {{ kpi_layer.as_amount('ad_spend') }} as ad_spend,
        impressions,
        clicks,
        conversions,
        attributed_orders,
        {{ kpi_layer.as_amount('attributed_revenue') }} as attributed_revenue,
        {{ kpi_layer.safe_divide('attributed_revenue', 'ad_spend') }} as roas,
        {{ kpi_layer.safe_divide('ad_spend', 'clicks') }} as cpc,
        {{ kpi_layer.safe_divide('ad_spend', 'conversions') }} as cpa
    from by_platform

)

select * from final
