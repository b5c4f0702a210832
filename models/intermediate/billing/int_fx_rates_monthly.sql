{#
    USD per unit of each charge currency, per month, from Stripe's own conversions: the volume-weighted
    exchange rate of the month's charge balance transactions (USD amount / charge amount). A month in which a
    currency saw no charge takes the latest earlier month's rate. USD is 1.
#}
with balance_transactions as (

    select * from {{ ref('stg_stripe__balance_transaction') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

calendar as (

    select distinct month_start_date from {{ ref('dim_dates') }}

),

observed as (

    select
        charges.currency,
        cast({{ dbt.date_trunc('month', 'balance_transactions.created_at') }} as date) as month_start_date,
        sum(balance_transactions.amount) as usd_amount,
        sum(charges.amount) as charge_amount
    from balance_transactions
    inner join charges
        on balance_transactions.balance_transaction_id = charges.balance_transaction_id
    where
        balance_transactions.balance_transaction_type = 'charge'
        and charges.currency <> 'usd'
    group by 1, 2

),

currencies as (

    select distinct currency from observed

),

candidates as (

    select
        currencies.currency,
        calendar.month_start_date,
        observed.month_start_date as observed_month_start_date,
        observed.usd_amount,
        observed.charge_amount
    from currencies
    cross join calendar
    inner join observed
        on
            currencies.currency = observed.currency
            and calendar.month_start_date >= observed.month_start_date

),

latest as (

    select
        *,
        row_number() over (
            partition by currency, month_start_date order by observed_month_start_date desc
        ) as recency
    from candidates

),

final as (

    select
        currency,
        month_start_date,
        {{ kpi_layer.safe_divide('usd_amount', 'charge_amount') }} as usd_per_unit,
        observed_month_start_date as rate_observed_month
    from latest
    where recency = 1

    union all

    select
        'usd' as currency,
        month_start_date,
        cast(1 as {{ kpi_layer.type_double() }}) as usd_per_unit,
        month_start_date as rate_observed_month
    from calendar

)

select * from final
