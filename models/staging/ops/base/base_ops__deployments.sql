with source as (

    {{ kpi_layer.typed_source(
        'ops', 'deployments', parse_as={'deployed_at': 'timestamp', 'rolled_back_at': 'timestamp'}
    ) }}

),

renamed as (

    select
        cast(deployment_id as {{ dbt.type_string() }}) as deployment_id,
        lower(service) as service_name,
        lower(environment) as environment,
        deployed_at,
        lower(status) as deployment_status,
        rolled_back_at,
        lower(status) = 'rolled_back' as is_rolled_back,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['deployment_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
