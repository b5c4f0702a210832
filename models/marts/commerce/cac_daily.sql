{{ config(enabled=kpi_layer.using_families(['storefront', 'stripe'])) }}

{#
    cac per day for the storefront: the project's one CAC (int_customer_acquisition_daily, kpi_layer.cac)
    over all the storefront's acquisition channels, i.e. the day's ad spend over all its new paying
    customers (blended). One row per day from the first acquisition row to the as-of date; a day without a
    new paying customer has no CAC (null), not an infinite or zero one.
#}
with acquisition as (

    select * from {{ ref('int_customer_acquisition_daily') }}
    where app_name = 'storefront'

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        date_day,
        sum(acquisition_spend_usd) as acquisition_spend_usd,
        sum(new_paying_customers) as new_paying_customers
    from acquisition
    group by date_day

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(daily.date_day) from daily)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        days.date_day,
        {{ kpi_layer.as_amount('coalesce(daily.acquisition_spend_usd, 0)') }} as acquisition_spend_usd,
        coalesce(daily.new_paying_customers, 0) as new_paying_customers,
        {{ kpi_layer.cac('daily.acquisition_spend_usd', 'daily.new_paying_customers') }} as cac
    from days
    left join daily
        on days.date_day = daily.date_day

)

select * from final
