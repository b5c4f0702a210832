{% set raw = source('storefront', 'orders') %}

with source as (

    {{ kpi_layer.typed_source('storefront', 'orders', parse_as={'created_at': 'timestamp'}) }}

),

renamed as (

    select
        order_id,
        customer_id,
        created_at,
        total_cents as total_amount,
        stripe_charge_id as charge_id,
        {{ kpi_layer.source_column(raw, 'utm_campaign', 'varchar') }} as campaign_id,
        _loaded_at,
        _dq_contract_reason,
        trim(source) as order_source,
        coalesce({{ kpi_layer.source_column(raw, 'refunded_cents', 'bigint') }}, 0) as refunded_amount,
        lower(currency) as currency,
        lower(status) as order_status,
        lower({{ kpi_layer.source_column(raw, 'utm_source', 'varchar') }}) as utm_source,
        {{ kpi_layer.source_column(raw, 'utm_campaign', 'varchar') }} is not null as is_ad_attributed
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['order_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'total_amount <= 0'),
        ],
    ) }}

)

select * from flagged
