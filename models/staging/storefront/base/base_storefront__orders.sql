with source as (

    select * from {{ kpi_layer.source_relation('storefront', 'orders') }}

),

renamed as (

    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        trim(source) as order_source,
        cast(total_cents as {{ dbt.type_bigint() }}) as total_amount,
        cast(coalesce(refunded_cents, 0) as {{ dbt.type_bigint() }}) as refunded_amount,
        lower(currency) as currency,
        lower(status) as order_status,
        {{ kpi_layer.to_utc_timestamp('created_at') }} as created_at,
        stripe_charge_id as charge_id,
        lower(utm_source) as utm_source,
        cast(utm_campaign as {{ dbt.type_string() }}) as campaign_id,
        utm_campaign is not null as is_ad_attributed,
        created_at as _dq_raw_created_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['order_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'created_at is null and _dq_raw_created_at is not null'),
            ('non_positive_amount', 'total_amount <= 0'),
        ],
    ) }}

)

select * from flagged
