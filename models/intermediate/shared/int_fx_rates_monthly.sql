{#
    USD per major unit of each currency, per month. Stripe's own conversions come first: the volume-weighted
    exchange rate of the month's charge balance transactions in USD (USD amount / charge amount, each in major
    units by its currency's exponent: a yen has no minor unit); a month in which a currency
    saw no charge takes the latest earlier month's rate. Where Stripe has no rate (the stripe family is off,
    a currency Stripe never charged in, months before its first charge) the reference seed fx_rates gives the
    rate in force. USD is 1. A company replaces seeds/reference/fx_rates.csv with its treasury's rates.
#}
with

{%- if var('using_stripe') %}

    balance_transactions as (

        select * from {{ ref('stg_stripe__balance_transaction') }}

    ),

    charges as (

        select * from {{ ref('stg_stripe__charge') }}

    ),
{%- endif %}

reference_rates as (

    select * from {{ ref('fx_rates') }}

),

calendar as (

    select distinct month_start_date from {{ ref('dim_dates') }}

),

observed as (

    {%- if var('using_stripe') %}
        select
            charges.currency,
            cast({{ dbt.date_trunc('month', 'balance_transactions.created_at') }} as date) as month_start_date,
            -- USD cents over the charge's minor units, scaled to USD per major unit by the currency's exponent
            {{ kpi_layer.safe_divide(
                'sum(balance_transactions.amount) * ' ~ kpi_layer.minor_units_per_major('charges.currency'),
                'sum(charges.amount) * 100'
            ) }} as usd_per_unit,
            'stripe' as rate_source
        from balance_transactions
        inner join charges
            on balance_transactions.balance_transaction_id = charges.balance_transaction_id
        where
            balance_transactions.balance_transaction_type = 'charge'
            and balance_transactions.currency = 'usd'
            and charges.currency <> 'usd'
        group by 1, 2

        union all
    {%- endif %}

    -- a reference rate counts from its month, and only where Stripe observed nothing that month
    select
        lower(reference_rates.currency) as currency,
        cast({{ dbt.date_trunc('month', 'reference_rates.valid_from') }} as date) as month_start_date,
        cast(reference_rates.usd_per_unit as {{ kpi_layer.type_double() }}) as usd_per_unit,
        'reference' as rate_source
    from reference_rates
    where lower(reference_rates.currency) <> 'usd'

),

candidates as (

    select
        observed.currency,
        calendar.month_start_date,
        observed.month_start_date as observed_month_start_date,
        observed.usd_per_unit,
        observed.rate_source
    from observed
    inner join calendar
        on observed.month_start_date <= calendar.month_start_date

),

latest as (

    -- Stripe's latest observation wins over any reference rate; among reference rates the latest in force
    select
        *,
        row_number() over (
            partition by currency, month_start_date
            order by
                case when rate_source = 'stripe' then 0 else 1 end,
                observed_month_start_date desc
        ) as recency
    from candidates

),

final as (

    select
        currency,
        month_start_date,
        usd_per_unit,
        observed_month_start_date as rate_observed_month,
        rate_source
    from latest
    where recency = 1

    union all

    select
        'usd' as currency,
        month_start_date,
        cast(1 as {{ kpi_layer.type_double() }}) as usd_per_unit,
        month_start_date as rate_observed_month,
        'identity' as rate_source
    from calendar

)

select * from final
