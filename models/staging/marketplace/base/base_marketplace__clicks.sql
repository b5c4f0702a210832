{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

{% set raw = source('marketplace', 'clicks') %}

with source as (

    {{ kpi_layer.typed_source(
        'marketplace', 'clicks',
        parse_as={'clicked_at': 'timestamp'},
        incremental_key='click_id',
    ) }}

),

renamed as (

    select
        click_id,
        route_id,
        listing_id,
        hirer_id,
        clicked_at,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'ip_address', 'varchar')) }} as ip_hash,
        {{ kpi_layer.source_column(raw, 'user_agent', 'varchar') }} as user_agent,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        lower(device) as device_type,
        {{ kpi_layer.source_column(raw, 'referrer', 'varchar') }} as referrer,
        cast(http_status as integer) as http_status,
        is_valid,
        lower(invalid_reason) as invalid_reason,
        (http_status = 404 or http_status >= 500) as is_redirect_error,
        (is_valid and http_status = 302) as is_billable,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['click_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
