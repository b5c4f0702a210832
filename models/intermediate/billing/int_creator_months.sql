{{ config(enabled=kpi_layer.using_families(['stripe', 'product'])) }}

{#
    One row per creator per month in which the creator was active: used the product that month (a product
    event) or was paying at month end. Revenue is the creator's month-end MRR in USD: the platform does
    not see what creators sell to their own end users, so "creator revenue" is the revenue the platform earns
    from the creator (docs/decisions/unit_economics.md). Tier is the month-end plan, `Free` without one.
#}
with users as (

    select * from {{ ref('stg_product__users') }}

),

events as (

    select * from {{ ref('stg_product__product_events') }}

),

acquired as (

    select * from {{ ref('int_customers_acquired') }}

),

customer_months as (

    select * from {{ ref('mrr_by_customer_month') }}

),

creators as (

    select user_id from users
    where user_type = 'creator'

),

-- a creator's Stripe customers (one per payer; a creator who came back may have been billed again)
creator_customers as (

    select
        acquired.customer_id,
        acquired.app_customer_id as user_id
    from acquired
    inner join creators
        on acquired.app_customer_id = creators.user_id
    where acquired.app_name = 'product'

),

ranked_customer_months as (

    select
        creator_customers.user_id,
        customer_months.month_start_date,
        customer_months.mrr_usd,
        customer_months.previous_mrr_usd,
        case when customer_months.is_active_at_month_end then customer_months.plan_name end as plan_name,
        row_number() over (
            partition by creator_customers.user_id, customer_months.month_start_date
            order by customer_months.mrr_usd desc, customer_months.customer_id asc
        ) as revenue_rank
    from customer_months
    inner join creator_customers
        on customer_months.customer_id = creator_customers.customer_id

),

-- the tier is the month-end plan of the customer bringing the most revenue (a creator normally has one)
paying_months as (

    select
        user_id,
        month_start_date,
        sum(mrr_usd) as revenue_usd,
        sum(previous_mrr_usd) as previous_revenue_usd,
        max(case when revenue_rank = 1 then plan_name end) as plan_name
    from ranked_customer_months
    group by user_id, month_start_date

),

event_months as (

    select distinct
        events.user_id,
        cast({{ dbt.date_trunc('month', 'events.occurred_at') }} as date) as month_start_date
    from events
    inner join creators
        on events.user_id = creators.user_id
    where cast(events.occurred_at as date) <= {{ kpi_layer.as_of_date() }}

),

creator_months as (

    select
        user_id,
        month_start_date
    from event_months
    union
    select
        user_id,
        month_start_date
    from paying_months
    where revenue_usd > 0

),

final as (

    select
        creator_months.user_id,
        creator_months.month_start_date,
        coalesce(paying_months.plan_name, 'Free') as creator_tier,
        {{ kpi_layer.as_amount('coalesce(paying_months.revenue_usd, 0)') }} as revenue_usd,
        {{ kpi_layer.as_amount('coalesce(paying_months.previous_revenue_usd, 0)') }} as previous_revenue_usd,
        -- growth is defined for creators who paid in both months; joining or leaving is not growth
        case
            when paying_months.revenue_usd > 0 and paying_months.previous_revenue_usd > 0
                then {{ kpi_layer.safe_divide(
                    'paying_months.revenue_usd - paying_months.previous_revenue_usd',
                    'paying_months.previous_revenue_usd',
                ) }}
        end as revenue_growth_rate
    from creator_months
    left join paying_months
        on
            creator_months.user_id = paying_months.user_id
            and creator_months.month_start_date = paying_months.month_start_date

)

select * from final
