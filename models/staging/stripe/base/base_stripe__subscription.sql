with source as (

    {{ kpi_layer.typed_source('stripe', 'subscription') }}

),

renamed as (

    select
        id as subscription_id,
        customer_id,
        latest_invoice_id,
        lower(status) as subscription_status,
        lower(billing) as collection_method,
        quantity,
        cancel_at_period_end as is_cancel_at_period_end,
        days_until_due,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'app_customer_id') }} as app_customer_id,
        livemode as is_livemode,
        created as created_at,
        start_date as started_at,
        billing_cycle_anchor as billing_cycle_anchor_at,
        current_period_start as current_period_start_at,
        current_period_end as current_period_end_at,
        trial_start as trial_start_at,
        trial_end as trial_end_at,
        cancel_at,
        canceled_at,
        ended_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['subscription_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
