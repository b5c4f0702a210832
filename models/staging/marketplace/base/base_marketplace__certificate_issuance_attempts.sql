{% set raw = source('marketplace', 'certificate_issuance_attempts') %}

with source as (

    {{ kpi_layer.typed_source('marketplace', 'certificate_issuance_attempts') }}

),

renamed as (

    select
        attempt_id as certificate_attempt_id,
        domain_id,
        attempted_at,
        lower(status) as attempt_status,
        lower({{ kpi_layer.source_column(raw, 'error_code', 'varchar') }}) as error_code,
        lower(status) = 'failed' as is_failed,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['certificate_attempt_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
