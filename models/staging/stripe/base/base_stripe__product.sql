with source as (

    {{ kpi_layer.typed_source('stripe', 'product') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as product_id,
        name as product_name,
        description,
        lower(type) as product_type,
        unit_label,
        active as is_active,
        coalesce(is_deleted, false) as is_deleted,
        livemode as is_livemode,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
        _dq_contract_reason
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
