with source as (

    {{ kpi_layer.typed_source('marketplace', 'contract_charges') }}

),

renamed as (

    select
        contract_charge_id,
        contract_id,
        hirer_id,
        amount as charge_amount,
        period_start as period_start_at,
        period_end as period_end_at,
        charged_at,
        stripe_charge_id,
        _loaded_at,
        _dq_contract_reason,
        lower(charge_type) as charge_type,
        lower(status) as charge_status,
        lower(currency) as currency
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['contract_charge_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'charge_amount <= 0'),
        ],
    ) }}

)

select * from flagged
