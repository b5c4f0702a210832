with source as (

    {{ kpi_layer.typed_source('storefront', 'metrics_daily') }}

),

renamed as (

    select
        cast(metric_date as date) as metric_date,
        cogs_cents as cogs_amount,
        opex_cents as opex_amount,
        cash_balance_cents as cash_balance_amount,
        'usd' as currency,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['metric_date'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
