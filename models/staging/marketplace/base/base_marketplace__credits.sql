with source as (

    {{ kpi_layer.typed_source('marketplace', 'credits') }}

),

renamed as (

    select
        cast(credit_id as {{ dbt.type_string() }}) as credit_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(amount as bigint) as credit_amount,
        lower(currency) as currency,
        lower(reason) as credit_reason,
        cast(issued_at as {{ dbt.type_timestamp() }}) as issued_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['credit_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'credit_amount <= 0'),
        ],
    ) }}

)

select * from flagged
