{#
    listing_views_to_inquiry and listing_views_to_checkout per week: inquiries and checkouts over listing
    views of the same week (a period ratio of counts, not a cohort of viewers: an inquiry is not traced
    back to "its" view). Anonymous views count as views. The weeks run from the first listing event to the
    as-of date; one without views has no ratios.
#}
with listing_events as (

    select * from {{ ref('stg_marketplace__listing_events') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

counted as (

    select
        calendar.week_start_date,
        sum(case when listing_events.event_type = 'view' then 1 else 0 end) as listing_views,
        sum(case when listing_events.event_type = 'inquiry' then 1 else 0 end) as listing_inquiries,
        sum(case when listing_events.event_type = 'checkout' then 1 else 0 end) as listing_checkouts
    from listing_events
    inner join calendar
        on cast(listing_events.occurred_at as date) = calendar.date_day
    group by 1

),

weeks as (

    select distinct calendar.week_start_date
    from calendar
    where
        calendar.date_day >= (select min(cast(listing_events.occurred_at as date)) from listing_events)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        weeks.week_start_date,
        coalesce(counted.listing_views, 0) as listing_views,
        coalesce(counted.listing_inquiries, 0) as listing_inquiries,
        coalesce(counted.listing_checkouts, 0) as listing_checkouts,
        {{ kpi_layer.safe_divide('counted.listing_inquiries', 'counted.listing_views') }} as listing_views_to_inquiry,
        {{ kpi_layer.safe_divide('counted.listing_checkouts', 'counted.listing_views') }} as listing_views_to_checkout
    from weeks
    left join counted
        on weeks.week_start_date = counted.week_start_date

)

select * from final
