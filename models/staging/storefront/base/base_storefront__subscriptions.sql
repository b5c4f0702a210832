with source as (

    {{ kpi_layer.typed_source('storefront', 'subscriptions') }}

),

renamed as (

    select
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        lower(plan_code) as plan_code,
        lower(status) as subscription_status,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(cancelled_at as {{ dbt.type_timestamp() }}) as cancelled_at,
        lower(status) = 'cancelled' as is_cancelled,
        stripe_subscription_id,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['subscription_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
