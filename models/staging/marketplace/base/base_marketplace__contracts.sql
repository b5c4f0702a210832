with source as (

    {{ kpi_layer.typed_source('marketplace', 'contracts') }}

),

renamed as (

    select
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(listing_id as {{ dbt.type_string() }}) as listing_id,
        cast(hirer_id as {{ dbt.type_string() }}) as hirer_id,
        lower(status) as contract_status,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(period_amount as bigint) as period_amount,
        cast(per_click_amount as bigint) as per_click_amount,
        lower(currency) as currency,
        _loaded_at,
        _dq_contract_reason
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
