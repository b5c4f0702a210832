with source as (

    {{ kpi_layer.typed_source('product', 'workflow_runs') }}

),

renamed as (

    select
        run_id as workflow_run_id,
        workflow_id,
        lower(integration) as integration_provider,
        lower(status) as run_status,
        lower(status) = 'success' as is_successful,
        started_at,
        finished_at,
        {{ dbt.datediff('started_at', 'finished_at', 'second') }}
            as run_duration_seconds,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['workflow_run_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
