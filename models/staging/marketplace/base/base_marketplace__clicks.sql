with source as (

    select * from {{ kpi_layer.source_relation('marketplace', 'clicks') }}

),

renamed as (

    select
        cast(click_id as {{ dbt.type_string() }}) as click_id,
        cast(route_id as {{ dbt.type_string() }}) as route_id,
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        {{ kpi_layer.to_utc_timestamp('clicked_at') }} as clicked_at,
        {{ kpi_layer.hash_pii('ip_address') }} as ip_hash,
        user_agent,
        upper(country) as country_code,
        lower(device) as device_type,
        referrer,
        cast(http_status as integer) as http_status,
        is_valid,
        lower(invalid_reason) as invalid_reason,
        (http_status = 404 or http_status >= 500) as is_redirect_error,
        (is_valid and http_status = 302) as is_billable,
        clicked_at as _dq_raw_clicked_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['click_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'clicked_at is null and _dq_raw_clicked_at is not null'),
        ],
    ) }}

)

select * from flagged
