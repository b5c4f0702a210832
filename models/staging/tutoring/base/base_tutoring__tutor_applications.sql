with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutor_applications') }}

),

renamed as (

    select
        cast(application_id as {{ dbt.type_string() }}) as application_id,
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        cast(submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        lower(status) as application_status,
        cast(decided_at as {{ dbt.type_timestamp() }}) as decided_at,
        lower(status) = 'approved' as is_approved,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['application_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
