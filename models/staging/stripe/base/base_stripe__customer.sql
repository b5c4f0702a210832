with source as (

    {{ kpi_layer.typed_source('stripe', 'customer') }}

),

renamed as (

    select
        id as customer_id,
        {{ kpi_layer.hash_pii('email') }} as email_hash,
        upper(address_country) as country_code,
        lower(currency) as currency,
        balance as balance_amount,
        delinquent as is_delinquent,
        coalesce(is_deleted, false) as is_deleted,
        lower(tax_exempt) as tax_exempt,
        invoice_prefix,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'app_customer_id') }} as app_customer_id,
        livemode as is_livemode,
        created as created_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['customer_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
