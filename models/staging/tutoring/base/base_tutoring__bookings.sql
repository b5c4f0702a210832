with source as (

    {{ kpi_layer.typed_source('tutoring', 'bookings') }}

),

renamed as (

    select
        cast(booking_id as {{ dbt.type_string() }}) as booking_id,
        cast(student_id as {{ dbt.type_string() }}) as student_id,
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        cast(package_purchase_id as {{ dbt.type_string() }}) as package_purchase_id,
        lower(session_state) as session_state,
        lower(payment_state) as payment_state,
        cast(price_amount as {{ dbt.type_bigint() }}) as price_amount,
        lower(currency) as currency,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(confirmed_at as {{ dbt.type_timestamp() }}) as confirmed_at,
        cast(scheduled_at as {{ dbt.type_timestamp() }}) as scheduled_at,
        cast(completed_at as {{ dbt.type_timestamp() }}) as completed_at,
        cast(cancelled_at as {{ dbt.type_timestamp() }}) as cancelled_at,
        cast(stripe_charge_id as {{ dbt.type_string() }}) as stripe_charge_id,
        package_purchase_id is not null as is_package_session,
        confirmed_at is not null as is_confirmed,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['booking_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'price_amount <= 0'),
        ],
    ) }}

)

select * from flagged
