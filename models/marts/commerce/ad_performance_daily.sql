{#
    ad_spend, roas, cpc and cpa per day and campaign (seed 001: ROAS by campaign). Spend, clicks and
    conversions are the ad platform's own figures; ROAS's revenue is the storefront's: collected orders that
    carry the campaign id, on the day they were placed. A campaign day with orders and no spend row is kept
    (spend 0, ROAS null), so attributed revenue is never lost.
#}
with spend as (

    select * from {{ ref('stg_storefront__spend') }}

),

orders as (

    select * from {{ ref('int_storefront_orders_converted') }}

),

campaigns as (

    -- a campaign id belongs to one platform; its latest name is the one shown
    select
        campaign_id,
        max(platform) as platform,
        max(campaign_name) as campaign_name
    from spend
    group by campaign_id

),

daily_spend as (

    select
        spend_date as date_day,
        campaign_id,
        -- both ad accounts bill in USD (staging's currency column): minor units to dollars, no rate
        sum({{ kpi_layer.to_major_units('spend_amount') }}) as ad_spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions
    from spend
    group by spend_date, campaign_id

),

attributed as (

    select
        created_date as date_day,
        campaign_id,
        count(*) as attributed_orders,
        sum(total_usd) as attributed_revenue
    from orders
    where is_collected and campaign_id is not null
    group by created_date, campaign_id

),

joined as (

    select
        coalesce(daily_spend.date_day, attributed.date_day) as date_day,
        coalesce(daily_spend.campaign_id, attributed.campaign_id) as campaign_id,
        {{ kpi_layer.as_amount('coalesce(daily_spend.ad_spend, 0)') }} as ad_spend,
        coalesce(daily_spend.impressions, 0) as impressions,
        coalesce(daily_spend.clicks, 0) as clicks,
        coalesce(daily_spend.conversions, 0) as conversions,
        coalesce(attributed.attributed_orders, 0) as attributed_orders,
        {{ kpi_layer.as_amount('coalesce(attributed.attributed_revenue, 0)') }} as attributed_revenue
    from daily_spend
    full outer join attributed
        on
            daily_spend.date_day = attributed.date_day
            and daily_spend.campaign_id = attributed.campaign_id

),

final as (

    select
        joined.date_day,
        -- an order's campaign that spend does not know (an orphan) is kept, under an unknown platform
        coalesce(campaigns.platform, 'unknown') as platform,
        joined.campaign_id,
        campaigns.campaign_name,
        joined.ad_spend,
        joined.impressions,
        joined.clicks,
        joined.conversions,
        joined.attributed_orders,
        joined.attributed_revenue,
        {{ kpi_layer.safe_divide('joined.attributed_revenue', 'joined.ad_spend') }} as roas,
        {{ kpi_layer.safe_divide('joined.ad_spend', 'joined.clicks') }} as cpc,
        {{ kpi_layer.safe_divide('joined.ad_spend', 'joined.conversions') }} as cpa
    from joined
    left join campaigns
        on joined.campaign_id = campaigns.campaign_id

)

select * from final
