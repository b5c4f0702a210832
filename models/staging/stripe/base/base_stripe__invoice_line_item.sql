{#- Line ids are unique per invoice only (Stripe reuses subscription line ids across invoices): the key is the pair. -#}

with source as (

    {{ kpi_layer.typed_source('stripe', 'invoice_line_item') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as invoice_line_item_id,
        invoice_id,
        subscription_id,
        subscription_item_id,
        coalesce(price_id, plan_id) as price_id,
        invoice_item_id,
        lower(type) as line_item_type,
        cast(amount as {{ dbt.type_bigint() }}) as amount,
        lower(currency) as currency,
        cast(quantity as {{ dbt.type_bigint() }}) as quantity,
        description,
        proration as is_proration,
        discountable as is_discountable,
        livemode as is_livemode,
        cast(period_start as {{ dbt.type_timestamp() }}) as period_start_at,
        cast(period_end as {{ dbt.type_timestamp() }}) as period_end_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['invoice_line_item_id', 'invoice_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
