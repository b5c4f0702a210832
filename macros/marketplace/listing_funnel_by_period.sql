{#
    The body of listing_funnel_weekly and listing_funnel_monthly: one definition, by period (grain 'week' or 'month', the
    period column `<grain>_start_date` of dim_dates). Each model states its own grain in its header.
#}
{% macro listing_funnel_by_period(grain) %}
with listing_events as (

    select * from {{ ref('stg_marketplace__listing_events') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

counted as (

    select
        calendar.{{ grain }}_start_date,
        sum(case when listing_events.event_type = 'view' then 1 else 0 end) as listing_views,
        sum(case when listing_events.event_type = 'inquiry' then 1 else 0 end) as listing_inquiries,
        sum(case when listing_events.event_type = 'checkout' then 1 else 0 end) as listing_checkouts
    from listing_events
    inner join calendar
        on cast(listing_events.occurred_at as date) = calendar.date_day
    group by 1

),

periods as (

    select distinct calendar.{{ grain }}_start_date
    from calendar
    where
        calendar.date_day >= (select min(cast(listing_events.occurred_at as date)) from listing_events)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        periods.{{ grain }}_start_date,
        coalesce(counted.listing_views, 0) as listing_views,
        coalesce(counted.listing_inquiries, 0) as listing_inquiries,
        coalesce(counted.listing_checkouts, 0) as listing_checkouts,
        {{ kpi_layer.safe_divide('counted.listing_inquiries', 'counted.listing_views') }} as listing_views_to_inquiry,
        {{ kpi_layer.safe_divide('counted.listing_checkouts', 'counted.listing_views') }} as listing_views_to_checkout
    from periods
    left join counted
        on periods.{{ grain }}_start_date = counted.{{ grain }}_start_date

)

select * from final
{% endmacro %}
