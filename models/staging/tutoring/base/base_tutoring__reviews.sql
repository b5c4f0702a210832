with source as (

    {{ kpi_layer.typed_source('tutoring', 'reviews') }}

),

renamed as (

    select
        cast(review_id as {{ dbt.type_string() }}) as review_id,
        cast(booking_id as {{ dbt.type_string() }}) as booking_id,
        cast(student_id as {{ dbt.type_string() }}) as student_id,
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        cast(rating as {{ dbt.type_bigint() }}) as rating,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
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
