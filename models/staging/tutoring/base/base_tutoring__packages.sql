with source as (

    {{ kpi_layer.typed_source('tutoring', 'packages') }}

),

renamed as (

    select
        cast(package_purchase_id as {{ dbt.type_string() }}) as package_purchase_id,
        cast(student_id as {{ dbt.type_string() }}) as student_id,
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        cast(sessions_count as {{ dbt.type_bigint() }}) as sessions_count,
        cast(price_amount as {{ dbt.type_bigint() }}) as price_amount,
        lower(currency) as currency,
        cast(purchased_at as {{ dbt.type_timestamp() }}) as purchased_at,
        cast(stripe_charge_id as {{ dbt.type_string() }}) as stripe_charge_id,
        _loaded_at,
        _dq_contract_reason
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
