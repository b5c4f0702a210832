with source as (

    select * from {{ kpi_layer.source_relation('ops', 'deployments') }}

),

renamed as (

    select
        cast(deployment_id as {{ dbt.type_string() }}) as deployment_id,
        lower(service) as service_name,
        lower(environment) as environment,
        {{ kpi_layer.to_utc_timestamp('deployed_at') }} as deployed_at,
        lower(status) as deployment_status,
        {{ kpi_layer.to_utc_timestamp('rolled_back_at') }} as rolled_back_at,
        lower(status) = 'rolled_back' as is_rolled_back,
        deployed_at as _dq_raw_deployed_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['deployment_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'deployed_at is null and _dq_raw_deployed_at is not null'),
        ],
    ) }}

)

select * from flagged
