{#
    One row per day, route, hirer, country, device, referrer and validity: the click rollup the owner and hirer
    dashboards slice (clicks by route, geo, device, referrer; valid vs invalid). Incremental like fct_clicks:
    a run recomputes whole route-days, every route and day that holds a click loaded within the lookback window
    (var incremental_lookback_days) or dated on or after the latest day it holds (a click staging kept late, as
    fct_clicks explains), from fct_clicks (built first in the same run). Recomputing a
    whole route-day, keyed on (click_date, route_id) with delete+insert, keeps its counts equal to the event
    stream even when one click turns invalid late (its old valid row must disappear, which a per-row key cannot
    do), and avoids matching on nullable grain columns (route_id is never null: staging requires it). A click
    re-delivered months later costs its own route-day, not the whole day of every route.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['click_date', 'route_id'],
    on_schema_change='fail',
) }}

{#- An empty table (a build with --empty) has no max: then every row is new. -#}
{%- set since = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
{%- set lookback = -1 * var('incremental_lookback_days') -%}
{%- set max_last_loaded_at = 'coalesce(max(last_loaded_at), ' ~ since ~ ')' -%}
{%- set max_click_date = 'coalesce(max(click_date), ' ~ since ~ ')' -%}

with clicks as (

    select * from {{ ref('fct_clicks') }}

),

-- the route-days an incremental run recomputes; a full build computes every one and leaves this unused
changed_route_days as (  -- noqa: ST03

    select distinct
        changed.click_date,
        changed.route_id
    from clicks as changed
    {% if is_incremental() %}
        where
            changed._loaded_at >= (
                select {{ dbt.dateadd('day', lookback, max_last_loaded_at) }}
                from {{ this }}
            )
            or changed.click_date >= (
                select {{ max_click_date }}
                from {{ this }}
            )
    {% endif %}

),

route_days_clicks as (

    select clicks.*
    from clicks
    {% if is_incremental() %}
        inner join changed_route_days
            on
                clicks.click_date = changed_route_days.click_date
                and clicks.route_id = changed_route_days.route_id
    {% endif %}

),

final as (

    select
        click_date,
        route_id,
        hirer_id,
        device_type,
        is_valid,
        coalesce(country_code, 'unknown') as country_code,
        coalesce(referrer, 'direct') as referrer,
        count(*) as click_events,
        sum(case when is_valid and is_redirected then 1 else 0 end) as valid_clicks,
        sum(case when not is_valid and is_redirected then 1 else 0 end) as invalid_clicks,
        sum(case when is_redirect_error then 1 else 0 end) as redirect_errors,
        max(_loaded_at) as last_loaded_at
    from route_days_clicks
    group by 1, 2, 3, 4, 5, 6, 7

)

select * from final
