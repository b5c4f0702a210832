with source as (

    {{ kpi_layer.typed_source('marketplace', 'disputes') }}

),

renamed as (

    select
        dispute_id,
        contract_id,
        hirer_id,
        opened_at,
        closed_at,
        _loaded_at,
        _dq_contract_reason,
        lower(status) as dispute_status,
        lower(reason) as dispute_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['dispute_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
