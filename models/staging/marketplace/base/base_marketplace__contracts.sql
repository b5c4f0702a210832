with source as (

    {{ kpi_layer.typed_source('marketplace', 'contracts') }}

),

renamed as (

    select
        contract_id,
        listing_id,
        hirer_id,
        started_at,
        ended_at,
        period_amount,
        per_click_amount,
        _loaded_at,
        _dq_contract_reason,
        lower(status) as contract_status,
        lower(currency) as currency
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['contract_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
