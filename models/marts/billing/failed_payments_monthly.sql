{#
    failed_payment_rate = failed payment attempts / payment attempts, per month and app: the daily counts
    summed, then divided (never an average of daily rates).
#}
with failed_payments_daily as (

    select * from {{ ref('failed_payments_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        app_name,
        sum(payment_attempts) as payment_attempts,
        sum(failed_payment_attempts) as failed_payment_attempts,
        sum(successful_payment_attempts) as successful_payment_attempts,
        sum(failed_amount_usd) as failed_amount_usd
    from failed_payments_daily
    group by 1, 2

),

final as (

    select
        month_start_date,
        app_name,
        payment_attempts,
        failed_payment_attempts,
        successful_payment_attempts,
        {{ kpi_layer.as_amount('failed_amount_usd') }} as failed_amount_usd,
        {{ kpi_layer.safe_divide('failed_payment_attempts', 'payment_attempts') }} as failed_payment_rate,
        {{ kpi_layer.alert_level(
            'failed_payment_rate',
            numerator='failed_payment_attempts',
            denominator='payment_attempts',
        ) }}
            as failed_payment_rate_status
    from monthly

)

select * from final
