with source as (

    {{ kpi_layer.typed_source('marketplace', 'disputes') }}

),

renamed as (

    select
        cast(dispute_id as {{ dbt.type_string() }}) as dispute_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        lower(status) as dispute_status,
        lower(reason) as dispute_reason,
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(closed_at as {{ dbt.type_timestamp() }}) as closed_at,
        _loaded_at,
        _dq_contract_reason
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
