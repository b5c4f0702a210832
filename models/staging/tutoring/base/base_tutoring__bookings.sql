with source as (

    {{ kpi_layer.typed_source('tutoring', 'bookings') }}

),

renamed as (

    select
        booking_id,
        student_id,
        tutor_id,
        package_purchase_id,
        price_amount,
        created_at,
        confirmed_at,
        scheduled_at,
        completed_at,
        cancelled_at,
        stripe_charge_id,
        _loaded_at,
        _dq_contract_reason,
        lower(session_state) as session_state,
        lower(payment_state) as payment_state,
        lower(currency) as currency,
        package_purchase_id is not null as is_package_session,
        confirmed_at is not null as is_confirmed
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
