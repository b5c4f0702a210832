with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutor_profile_steps') }}

),

renamed as (

    select
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        lower(step) as profile_step,
        cast(completed_at as {{ dbt.type_timestamp() }}) as completed_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['tutor_id', 'profile_step'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
