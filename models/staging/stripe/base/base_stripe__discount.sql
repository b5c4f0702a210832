{% set raw = source('stripe', 'discount') %}

{#-
    Fivetran keys discounts by (id, type, type_id): the object a discount is attached to. A sync without
    `type` gets it from the parent columns. `start` and `end` are reserved words: quoted.
-#}
with source as (

    {{ kpi_layer.typed_source('stripe', 'discount') }}

),

renamed as (

    select
        id as discount_id,
        lower(coalesce(
            {{ kpi_layer.source_column(raw, 'type', 'varchar') }},
            case when subscription_id is not null then 'subscription' else 'customer' end
        )) as discount_type,
        {{ kpi_layer.source_column(raw, 'type_id', 'varchar') }} as parent_id,
        coupon_id,
        customer_id,
        subscription_id,
        {{ kpi_layer.source_column(raw, 'invoice_id', 'varchar') }} as invoice_id,
        {{ kpi_layer.source_column(raw, 'invoice_item_id', 'varchar') }} as invoice_item_id,
        {{ kpi_layer.source_column(raw, 'promotion_code', 'varchar') }} as promotion_code,
        cast({{ adapter.quote('start') }} as {{ dbt.type_timestamp() }}) as start_at,
        cast({{ adapter.quote('end') }} as {{ dbt.type_timestamp() }}) as end_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['discount_id', 'discount_type'],
        latest_by='_fivetran_synced',
    ) }}

)

select * from flagged
