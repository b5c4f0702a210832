{#- Line ids are unique per invoice only (Stripe reuses subscription line ids across invoices): the key is the pair. -#}

with source as (

    {{ kpi_layer.typed_source('stripe', 'invoice_line_item') }}

),

renamed as (

    select
        id as invoice_line_item_id,
        invoice_id,
        subscription_id,
        subscription_item_id,
        invoice_item_id,
        amount,
        quantity,
        description,
        proration as is_proration,
        discountable as is_discountable,
        livemode as is_livemode,
        period_start as period_start_at,
        period_end as period_end_at,
        _fivetran_synced,
        _dq_contract_reason,
        coalesce(price_id, plan_id) as price_id,
        lower(type) as line_item_type,
        lower(currency) as currency
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
