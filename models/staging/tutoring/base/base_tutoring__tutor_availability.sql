with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutor_availability') }}

),

renamed as (

    select
        availability_id,
        tutor_id,
        weekday + 1 as iso_day_of_week,
        start_time,
        end_time,
        {{ kpi_layer.try_cast('substr(start_time, 1, 2)', 'bigint') }} * 60
        + {{ kpi_layer.try_cast('substr(start_time, 4, 2)', 'bigint') }} as start_minute,
        {{ kpi_layer.try_cast('substr(end_time, 1, 2)', 'bigint') }} * 60
        + {{ kpi_layer.try_cast('substr(end_time, 4, 2)', 'bigint') }} as end_minute,
        created_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

timed as (

    select
        availability_id,
        tutor_id,
        iso_day_of_week,
        start_time,
        end_time,
        created_at,
        _loaded_at,
        _dq_contract_reason,
        end_minute - start_minute as slot_minutes
    from renamed

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'timed',
        key_columns=['availability_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'slot_minutes is null or slot_minutes <= 0'),
        ],
    ) }}

)

select * from flagged
