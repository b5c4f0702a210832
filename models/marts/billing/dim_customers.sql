{#
    Every Stripe customer with the app it pays, its country, its current plan and the acquisition channel
    the app recorded when it acquired them. Stripe keeps one customer per payer of each app, so a person
    paying two apps is two customers here, as in Stripe.
#}
with customers as (

    select * from {{ ref('stg_stripe__customer') }}

),

subscriptions as (

    select * from {{ ref('stg_stripe__subscription') }}

),

subscription_items as (

    select * from {{ ref('stg_stripe__subscription_item') }}

),

prices as (

    select * from {{ ref('stg_stripe__price') }}

),

acquired as (

    select * from {{ ref('int_customers_acquired') }}

),

{%- if var('using_product') %}

    product_users as (

        select * from {{ ref('stg_product__users') }}

    ),
{%- endif %}

-- the latest subscription's item carries the current price (Stripe updates it in place on a plan change)
latest_items as (

    select
        subscriptions.customer_id,
        subscriptions.subscription_id,
        subscriptions.subscription_status,
        subscription_items.price_id,
        row_number() over (
            partition by subscriptions.customer_id
            order by
                subscriptions.created_at desc,
                subscription_items.created_at desc,
                subscription_items.subscription_item_id desc
        ) as recency
    from subscriptions
    inner join subscription_items
        on subscriptions.subscription_id = subscription_items.subscription_id

),

current_plans as (

    select
        latest_items.customer_id,
        latest_items.subscription_id,
        latest_items.subscription_status,
        latest_items.price_id,
        prices.plan_code,
        prices.product_line
    from latest_items
    left join prices
        on latest_items.price_id = prices.price_id
    where latest_items.recency = 1

),

final as (

    select
        customers.customer_id,
        coalesce(customers.app_name, 'unattributed') as app_name,
        customers.app_customer_id,
        customers.country_code,
        customers.country_code <> '{{ var("home_country", "US") }}' as is_international,
        customers.currency,
        current_plans.subscription_id as current_subscription_id,
        current_plans.subscription_status as current_subscription_status,
        current_plans.price_id as current_price_id,
        current_plans.plan_code as current_plan_code,
        coalesce(
            current_plans.product_line,
            {%- if var('using_product') %}
                product_users.product_line,
            {%- endif %}
            case when customers.app_name = 'storefront' then 'storefront' end
        ) as product_line,
        acquired.acquisition_channel,
        acquired.first_paid_at,
        customers.is_delinquent,
        customers.is_deleted,
        customers.created_at
    from customers
    left join current_plans
        on customers.customer_id = current_plans.customer_id
    left join acquired
        on customers.customer_id = acquired.customer_id
    {%- if var('using_product') %}
        left join product_users
            on
                customers.app_name = 'product'
                and customers.app_customer_id = product_users.user_id
    {%- endif %}

)

select * from final
