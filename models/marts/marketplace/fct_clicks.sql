{#
    One row per click event (every redirect request through a hired route, valid or not, redirected or not).
    The click stream is the largest source, so this fact is incremental: a run reprocesses the clicks loaded
    within the lookback window (var incremental_lookback_days) before the latest already loaded, which catches
    late-arriving events and clicks re-delivered with a late invalid-traffic verdict (staging keeps the latest
    delivery of a click, so its newer _loaded_at brings it into the window), and the clicks at or after the
    latest event time the fact holds: a click whose clock ran ahead is kept by staging only once later loads
    catch up (out_of_range until then), with its old _loaded_at. delete+insert on click_id replaces a
    re-delivered click instead of duplicating it, on DuckDB and PostgreSQL alike.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='click_id',
    on_schema_change='fail',
) }}

{#- An empty table (a build with --empty) has no max: then every row is new. -#}
{%- set since = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
{%- set lookback = -1 * var('incremental_lookback_days') -%}
{%- set max_loaded_at = 'coalesce(max(_loaded_at), ' ~ since ~ ')' -%}
{%- set max_clicked_at = 'coalesce(max(clicked_at), ' ~ since ~ ')' -%}

with clicks as (

    select * from {{ ref('stg_marketplace__clicks') }}

),

new_clicks as (

    select clicks.*
    from clicks
    {% if is_incremental() %}
        where
            clicks._loaded_at >= (
                select {{ dbt.dateadd('day', lookback, max_loaded_at) }}
                from {{ this }}
            )
            or clicks.clicked_at >= (
                select {{ max_clicked_at }}
                from {{ this }}
            )
    {% endif %}

),

final as (

    select
        new_clicks.click_id,
        new_clicks.clicked_at,
        new_clicks.route_id,
        new_clicks.listing_id,
        new_clicks.hirer_id,
        new_clicks.country_code,
        new_clicks.device_type,
        new_clicks.referrer,
        new_clicks.http_status,
        new_clicks.is_valid,
        new_clicks.invalid_reason,
        new_clicks.is_redirect_error,
        new_clicks.is_billable,
        new_clicks._loaded_at,
        cast(new_clicks.clicked_at as date) as click_date,
        (new_clicks.http_status = 302) as is_redirected
    from new_clicks

)

select * from final
