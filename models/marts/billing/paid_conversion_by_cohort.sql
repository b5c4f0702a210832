{{ config(enabled=kpi_layer.using_families(['stripe', 'product'])) }}

{#
    paid_conversion_rate (seed 004): of the users who signed up free in a month, the share who became paying
    customers (first successful charge, int_customers_acquired) within 30 days of signing up. Only creators
    and members can pay; end users are never in the base. A cohort is complete once its last member's
    30-day window has closed by the as-of date; until then its rate can still rise.
#}
{%- set window_days = var('paid_conversion_window_days', 30) -%}

with users as (

    select * from {{ ref('stg_product__users') }}

),

acquired as (

    select * from {{ ref('int_customers_acquired') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

-- a user who paid through several Stripe customers converted at the first payment
user_first_payments as (

    select
        app_customer_id as user_id,
        min(first_paid_at) as first_paid_at
    from acquired
    where app_name = 'product'
    group by app_customer_id

),

free_signups as (

    select
        users.user_id,
        users.product_line,
        cast({{ dbt.date_trunc('month', 'users.signed_up_at') }} as date) as cohort_month,
        case
            when
                user_first_payments.first_paid_at >= users.signed_up_at
                and user_first_payments.first_paid_at
                <= {{ dbt.dateadd('day', window_days, 'users.signed_up_at') }}
                then 1
            else 0
        end as converted_within_window
    from users
    left join user_first_payments
        on users.user_id = user_first_payments.user_id
    where
        users.user_type in ('creator', 'member')
        and not users.is_paid_at_signup
        and cast(users.signed_up_at as date) <= {{ kpi_layer.as_of_date() }}

),

cohorts as (

    select
        cohort_month,
        product_line,
        count(*) as free_users,
        sum(converted_within_window) as converted_users
    from free_signups
    group by cohort_month, product_line

),

final as (

    select
        cohorts.cohort_month,
        cohorts.product_line,
        cohorts.free_users,
        cohorts.converted_users,
        {{ kpi_layer.safe_divide('cohorts.converted_users', 'cohorts.free_users') }} as paid_conversion_rate,
        {{ dbt.dateadd('day', window_days, 'month_ends.month_end_date') }} <= {{ kpi_layer.as_of_date() }}
            as is_cohort_complete
    from cohorts
    inner join calendar as month_ends
        on cohorts.cohort_month = month_ends.date_day

)

select * from final
