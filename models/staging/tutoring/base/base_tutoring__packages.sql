with source as (

    {{ kpi_layer.typed_source('tutoring', 'packages') }}

),

renamed as (

    select
        package_purchase_id,
        student_id,
        tutor_id,
        sessions_count,
        price_amount,
        purchased_at,
        stripe_charge_id,
        _loaded_at,
        _dq_contract_reason,
        lower(currency) as currency
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['package_purchase_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'price_amount <= 0 or sessions_count <= 0'),
        ],
    ) }}

)

select * from flagged
