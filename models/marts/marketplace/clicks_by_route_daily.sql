{#
    One row per day, route, hirer, country, device, referrer and validity: the click rollup the owner and hirer
    dashboards slice (clicks by route, geo, device, referrer; valid vs invalid). Incremental like fct_clicks:
    a run recomputes whole days, every day that holds a click loaded or clicked within the lookback window
    (var incremental_lookback_days), from fct_clicks (built first in the same run). Recomputing a whole day, keyed
    on click_date with delete+insert, keeps the day's counts equal to the event stream even when one click of
    the day turns invalid late (its old valid row must disappear, which a per-row key cannot do), and avoids
    matching on nullable grain columns.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='click_date',
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

days_clicks as (

    select clicks.*
    from clicks
    {% if is_incremental() %}
        where clicks.click_date in (
                select changed.click_date
                from clicks as changed
                where
                    changed._loaded_at >= (
                        select {{ dbt.dateadd('day', lookback, max_last_loaded_at) }}
                        from {{ this }}
                    )
                    or changed.click_date >= (
                        select {{ dbt.dateadd('day', lookback, max_click_date) }}
                        from {{ this }}
                    )
            )
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
    from days_clicks
    group by 1, 2, 3, 4, 5, 6, 7

)

select * from final
