with source as (

    {{ kpi_layer.typed_source(
        'ops', 'deployments', parse_as={'deployed_at': 'timestamp', 'rolled_back_at': 'timestamp'}
    ) }}

),

renamed as (

    select
        deployment_id,
        deployed_at,
        rolled_back_at,
        _loaded_at,
        _dq_contract_reason,
        lower(service) as service_name,
        lower(environment) as environment,
        lower(status) as deployment_status,
        lower(status) = 'rolled_back' as is_rolled_back
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
