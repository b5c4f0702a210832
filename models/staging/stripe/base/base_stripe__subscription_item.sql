{#- subscription_item has no livemode: an item of a test-mode subscription is test mode too. -#}

with source as (

    select * from {{ kpi_layer.source_relation('stripe', 'subscription_item') }}

),

test_subscriptions as (

    select distinct subscription_id
    from {{ ref('base_stripe__subscription') }}
    where _dq_reason = 'test_mode'

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
        test_subscriptions.subscription_id is not null as _dq_is_test_subscription
    from source
    left join test_subscriptions
        on source.subscription_id = test_subscriptions.subscription_id

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['subscription_item_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', '_dq_is_test_subscription'),
        ],
    ) }}

)

select * from flagged
