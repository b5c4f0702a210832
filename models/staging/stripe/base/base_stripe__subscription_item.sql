{#- subscription_item has no livemode: an item of a test-mode subscription is test mode too. -#}

with source as (

    {{ kpi_layer.typed_source('stripe', 'subscription_item') }}

),

renamed as (

    select
        cast(source.id as {{ dbt.type_string() }}) as subscription_item_id,
        source.subscription_id,
        source.plan_id as price_id,
        cast(source.quantity as {{ dbt.type_bigint() }}) as quantity,
        cast(source.created as {{ dbt.type_timestamp() }}) as created_at,
        cast(source.current_period_start as {{ dbt.type_timestamp() }}) as current_period_start_at,
        cast(source.current_period_end as {{ dbt.type_timestamp() }}) as current_period_end_at,
        cast(source._fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
        source._dq_contract_reason
    from source

),

judged as (

    {{ kpi_layer.inherit_test_mode('renamed', 'subscription_id', [('base_stripe__subscription', 'subscription_id')]) }}

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'judged',
        key_columns=['subscription_item_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', '_dq_has_test_mode_parent'),
        ],
    ) }}

)

select * from flagged
