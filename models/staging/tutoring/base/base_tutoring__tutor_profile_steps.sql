with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutor_profile_steps') }}

),

renamed as (

    select
        tutor_id,
        completed_at,
        _loaded_at,
        _dq_contract_reason,
        lower(step) as profile_step
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
