{% set raw = source('stripe', 'coupon') %}

with source as (

    {{ kpi_layer.typed_source('stripe', 'coupon') }}

),

renamed as (

    select
        id as coupon_id,
        name as coupon_name,
        cast(percent_off as {{ dbt.type_numeric() }}) as percent_off,
        cast({{ kpi_layer.source_column(raw, 'amount_off', 'bigint') }} as {{ dbt.type_bigint() }}) as amount_off,
        lower(currency) as currency,
        lower(duration) as coupon_duration,
        cast(
            {{ kpi_layer.source_column(raw, 'duration_in_months', 'bigint') }} as {{ dbt.type_bigint() }}
        ) as duration_in_months,
        cast(
            {{ kpi_layer.source_column(raw, 'max_redemptions', 'bigint') }} as {{ dbt.type_bigint() }}
        ) as max_redemptions,
        cast(
            {{ kpi_layer.source_column(raw, 'times_redeemed', 'bigint') }} as {{ dbt.type_bigint() }}
        ) as times_redeemed,
        valid as is_valid,
        livemode as is_livemode,
        created as created_at,
        cast(
            {{ kpi_layer.source_column(raw, 'redeem_by', 'timestamp') }} as {{ dbt.type_timestamp() }}
        ) as redeem_by_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['coupon_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
