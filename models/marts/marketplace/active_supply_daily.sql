{#
    active_listings and verified_domains as of the end of each day, rebuilt from the status history rather
    than the tables' current state, so a past day keeps the count it had. A listing counts when its last
    status change at or before the end of the day is `active`; a domain counts from the day it was verified.
    The days run from the first listing change or domain added to the as-of date.
#}
with listing_statuses as (

    select * from {{ ref('int_listing_statuses_windowed') }}

),

domains as (

    select * from {{ ref('int_domain_verifications_timed') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

first_days as (

    select min(listing_statuses.in_force_from_date) as first_date from listing_statuses
    union all
    select min(cast(domains.created_at as date)) as first_date from domains

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(first_days.first_date) from first_days)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

listings_at_day_end as (

    select
        days.date_day,
        count(*) as active_listings
    from days
    inner join listing_statuses
        on
            days.date_day >= listing_statuses.in_force_from_date
            and (
                days.date_day < listing_statuses.in_force_until_date
                or listing_statuses.in_force_until_date is null
            )
    where listing_statuses.listing_status = 'active'
    group by 1

),

domains_at_day_end as (

    select
        days.date_day,
        count(*) as domains_added,
        sum(case when domains.verified_date <= days.date_day then 1 else 0 end) as verified_domains
    from days
    inner join domains
        on days.date_day >= cast(domains.created_at as date)
    group by 1

),

final as (

    select
        days.date_day,
        coalesce(listings_at_day_end.active_listings, 0) as active_listings,
        coalesce(domains_at_day_end.verified_domains, 0) as verified_domains,
        coalesce(domains_at_day_end.domains_added, 0) as domains_added
    from days
    left join listings_at_day_end
        on days.date_day = listings_at_day_end.date_day
    left join domains_at_day_end
        on days.date_day = domains_at_day_end.date_day

)

select * from final
