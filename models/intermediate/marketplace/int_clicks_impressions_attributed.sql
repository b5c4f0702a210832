{#
    One row per hirer, route and day: the share of the route's impressions that day (the app's click_rollups,
    the only source of impressions) that belongs to the hirer. Impressions are counted per route, not per
    hirer, so a route-day goes to the hirer(s) whose contract covered it; on a hand-over day the impressions
    are split by the seconds of the day each contract covered (deterministic, and the parts add up to the
    route's impressions). A route-day no contract covers keeps its impressions under hirer_id null, so the
    route's total is never lost.
#}
with rollups as (

    select * from {{ ref('stg_marketplace__click_rollups') }}

),

contracts as (

    select * from {{ ref('stg_marketplace__contracts') }}

),

listings as (

    select * from {{ ref('stg_marketplace__listings') }}

),

route_days as (

    select
        rollup_date,
        route_id,
        impressions,
        cast(rollup_date as {{ dbt.type_timestamp() }}) as day_start_at,
        {{ dbt.dateadd('day', 1, 'cast(rollup_date as ' ~ dbt.type_timestamp() ~ ')') }} as day_end_at
    from rollups

),

coverage as (

    select
        route_days.rollup_date,
        route_days.route_id,
        contracts.hirer_id,
        {{ dbt.datediff(
            'greatest(contracts.started_at, route_days.day_start_at)',
            'least(coalesce(contracts.ended_at, route_days.day_end_at), route_days.day_end_at)',
            'second',
        ) }} as covered_seconds
    from route_days
    inner join listings
        on route_days.route_id = listings.route_id
    inner join contracts
        on
            listings.listing_id = contracts.listing_id
            and route_days.day_end_at > contracts.started_at
            and route_days.day_start_at < coalesce(contracts.ended_at, route_days.day_end_at)

),

hirer_coverage as (

    select
        rollup_date,
        route_id,
        hirer_id,
        sum(covered_seconds) as covered_seconds
    from coverage
    group by 1, 2, 3

),

route_coverage as (

    select
        rollup_date,
        route_id,
        sum(covered_seconds) as covered_seconds
    from hirer_coverage
    group by 1, 2

),

final as (

    select
        route_days.rollup_date as date_day,
        route_days.route_id,
        hirer_coverage.hirer_id,
        route_days.impressions as route_impressions,
        case
            when hirer_coverage.hirer_id is null then cast(route_days.impressions as {{ kpi_layer.type_double() }})
            else route_days.impressions * {{ kpi_layer.safe_divide(
                'hirer_coverage.covered_seconds', 'route_coverage.covered_seconds'
            ) }}
        end as impressions
    from route_days
    left join route_coverage
        on
            route_days.rollup_date = route_coverage.rollup_date
            and route_days.route_id = route_coverage.route_id
            and route_coverage.covered_seconds > 0
    left join hirer_coverage
        on
            route_coverage.rollup_date = hirer_coverage.rollup_date
            and route_coverage.route_id = hirer_coverage.route_id
            and hirer_coverage.covered_seconds > 0

)

select * from final
