with source as (

    {{ kpi_layer.typed_source('stripe', 'subscription') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as subscription_id,
        customer_id,
        latest_invoice_id,
        lower(status) as subscription_status,
        lower(billing) as collection_method,
        cast(quantity as {{ dbt.type_bigint() }}) as quantity,
        cancel_at_period_end as is_cancel_at_period_end,
        cast(days_until_due as {{ dbt.type_bigint() }}) as days_until_due,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'app_customer_id') }} as app_customer_id,
        livemode as is_livemode,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(start_date as {{ dbt.type_timestamp() }}) as started_at,
        cast(billing_cycle_anchor as {{ dbt.type_timestamp() }}) as billing_cycle_anchor_at,
        cast(current_period_start as {{ dbt.type_timestamp() }}) as current_period_start_at,
        cast(current_period_end as {{ dbt.type_timestamp() }}) as current_period_end_at,
        cast(trial_start as {{ dbt.type_timestamp() }}) as trial_start_at,
        cast(trial_end as {{ dbt.type_timestamp() }}) as trial_end_at,
        cast(cancel_at as {{ dbt.type_timestamp() }}) as cancel_at,
        cast(canceled_at as {{ dbt.type_timestamp() }}) as canceled_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
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
