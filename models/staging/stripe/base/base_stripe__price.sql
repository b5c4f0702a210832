with source as (

    {{ kpi_layer.typed_source('stripe', 'price') }}

),

renamed as (

    select
        id as price_id,
        product_id,
        nickname,
        lower(currency) as currency,
        unit_amount,
        lower(recurring_interval) as recurring_interval,
        recurring_interval_count,
        lower(recurring_usage_type) as recurring_usage_type,
        lower(billing_scheme) as billing_scheme,
        {{ kpi_layer.json_field('metadata', 'plan_code') }} as plan_code,
        {{ kpi_layer.json_field('metadata', 'product_line') }} as product_line,
        active as is_active,
        coalesce(is_deleted, false) as is_deleted,
        livemode as is_livemode,
        created as created_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['price_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
