{% set raw = source('storefront', 'spend') %}

with source as (

    {{ kpi_layer.typed_source('storefront', 'spend') }}

),

renamed as (

    select
        cast(spend_date as date) as spend_date,
        lower(platform) as platform,
        campaign_id,
        {{ kpi_layer.source_column(raw, 'campaign_name', 'varchar') }} as campaign_name,
        spend_cents as spend_amount,
        'usd' as currency,
        cast({{ kpi_layer.source_column(raw, 'impressions', 'bigint') }} as {{ dbt.type_bigint() }}) as impressions,
        cast({{ kpi_layer.source_column(raw, 'clicks', 'bigint') }} as {{ dbt.type_bigint() }}) as clicks,
        cast({{ kpi_layer.source_column(raw, 'conversions', 'bigint') }} as {{ dbt.type_bigint() }}) as conversions,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['spend_date', 'platform', 'campaign_id'],
        latest_by='_loaded_at',
        checks=[
            ('non_positive_amount', 'spend_amount < 0'),
        ],
    ) }}

)

select * from flagged
