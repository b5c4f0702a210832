with source as (

    {{ kpi_layer.typed_source('tutoring', 'reviews') }}

),

renamed as (

    select
        review_id,
        booking_id,
        student_id,
        tutor_id,
        rating,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['review_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
