with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutor_applications') }}

),

renamed as (

    select
        application_id,
        tutor_id,
        submitted_at,
        decided_at,
        _loaded_at,
        _dq_contract_reason,
        lower(status) as application_status,
        lower(status) = 'approved' as is_approved
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
