with source as (

    {{ kpi_layer.typed_source('stripe', 'coupon') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as coupon_id,
        name as coupon_name,
        cast(percent_off as {{ dbt.type_numeric() }}) as percent_off,
        cast(amount_off as {{ dbt.type_bigint() }}) as amount_off,
        lower(currency) as currency,
        lower(duration) as coupon_duration,
        cast(
            duration_in_months as {{ dbt.type_bigint() }}
        ) as duration_in_months,
        cast(
            max_redemptions as {{ dbt.type_bigint() }}
        ) as max_redemptions,
        cast(
            times_redeemed as {{ dbt.type_bigint() }}
        ) as times_redeemed,
        valid as is_valid,
        livemode as is_livemode,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(
            redeem_by as {{ dbt.type_timestamp() }}
        ) as redeem_by_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
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
