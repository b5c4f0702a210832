with source as (

    {{ kpi_layer.typed_source('marketplace', 'contract_charges') }}

),

renamed as (

    select
        cast(contract_charge_id as {{ dbt.type_string() }}) as contract_charge_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        lower(charge_type) as charge_type,
        lower(status) as charge_status,
        cast(amount as bigint) as charge_amount,
        lower(currency) as currency,
        cast(period_start as {{ dbt.type_timestamp() }}) as period_start_at,
        cast(period_end as {{ dbt.type_timestamp() }}) as period_end_at,
        cast(charged_at as {{ dbt.type_timestamp() }}) as charged_at,
        cast(stripe_charge_id as {{ dbt.type_string() }}) as stripe_charge_id,
        _loaded_at,
        _dq_contract_reason
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
