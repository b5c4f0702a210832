with source as (

    {{ kpi_layer.typed_source('storefront', 'subscriptions') }}

),

renamed as (

    select
        subscription_id,
        customer_id,
        started_at,
        cancelled_at,
        stripe_subscription_id,
        _loaded_at,
        _dq_contract_reason,
        lower(plan_code) as plan_code,
        lower(status) as subscription_status,
        lower(status) = 'cancelled' as is_cancelled
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
