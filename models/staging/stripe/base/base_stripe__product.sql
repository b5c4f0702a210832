with source as (

    {{ kpi_layer.typed_source('stripe', 'product') }}

),

renamed as (

    select
        id as product_id,
        name as product_name,
        description,
        unit_label,
        active as is_active,
        livemode as is_livemode,
        created as created_at,
        updated as updated_at,
        _fivetran_synced,
        _dq_contract_reason,
        lower(type) as product_type,
        coalesce(is_deleted, false) as is_deleted
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['product_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
