with source as (

    {{ kpi_layer.typed_source('marketplace', 'credits') }}

),

renamed as (

    select
        credit_id,
        hirer_id,
        contract_id,
        amount as credit_amount,
        issued_at,
        _loaded_at,
        _dq_contract_reason,
        lower(currency) as currency,
        lower(reason) as credit_reason
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
