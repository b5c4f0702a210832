{#
    failed_payment_rate = failed payment attempts / payment attempts, per day and app. Every charge is one
    attempt (an invoice's retries are attempts too); the days run from the first charge to the as-of date so
    a day without attempts is a row with no rate, not a gap.
#}
with charges as (

    select * from {{ ref('fct_charges') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

attempts as (

    select
        created_date as date_day,
        coalesce(app_name, 'unattributed') as app_name,
        count(*) as payment_attempts,
        sum(case when charge_status = 'failed' then 1 else 0 end) as failed_payment_attempts,
        sum(case when charge_status = 'succeeded' then 1 else 0 end) as successful_payment_attempts,
        sum(case when charge_status = 'failed' then amount_usd else 0 end) as failed_amount_usd
    from charges
    group by 1, 2

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(attempts.date_day) from attempts)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

apps as (

    select distinct app_name from attempts

),

final as (

    select
        days.date_day,
        apps.app_name,
        coalesce(attempts.payment_attempts, 0) as payment_attempts,
        coalesce(attempts.failed_payment_attempts, 0) as failed_payment_attempts,
        coalesce(attempts.successful_payment_attempts, 0) as successful_payment_attempts,
        {{ kpi_layer.as_amount('coalesce(attempts.failed_amount_usd, 0)') }} as failed_amount_usd,
        {{ kpi_layer.safe_divide('attempts.failed_payment_attempts', 'attempts.payment_attempts') }}
            as failed_payment_rate,
        {{ kpi_layer.alert_level(
            'failed_payment_rate',
            numerator='attempts.failed_payment_attempts',
            denominator='attempts.payment_attempts',
        ) }}
            as failed_payment_rate_status
    from days
    cross join apps
    left join attempts
        on
            days.date_day = attempts.date_day
            and apps.app_name = attempts.app_name

)

select * from final
