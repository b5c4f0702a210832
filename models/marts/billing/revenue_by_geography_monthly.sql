{#
    revenue_by_geography: revenue per month and customer country, where revenue = successful charges of
    the month minus refunds made in the month (a refund lowers the month it happened in), in USD. Each row
    also carries the month's international share (revenue of customers outside the home_country var / all
    revenue) against the seed-003 target.
#}
with charges as (

    select * from {{ ref('fct_charges') }}

),

refunds as (

    select * from {{ ref('int_refunds_converted') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

charges_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'charges.created_at') }} as date) as month_start_date,
        coalesce(customers.country_code, 'unknown') as country_code,
        count(*) as successful_charge_count,
        sum(charges.amount_usd) as gross_charges_usd
    from charges
    left join customers
        on charges.customer_id = customers.customer_id
    where charges.is_successful
    group by 1, 2

),

refunds_monthly as (

    select
        refunds.month_start_date,
        coalesce(customers.country_code, 'unknown') as country_code,
        count(*) as refund_count,
        sum(refunds.amount_usd) as refunded_amount_usd
    from refunds
    left join charges
        on refunds.charge_id = charges.charge_id
    left join customers
        on charges.customer_id = customers.customer_id
    group by 1, 2

),

months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.month_start_date >= (select min(charges_monthly.month_start_date) from charges_monthly)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

countries as (

    select distinct
        customers.is_international,
        coalesce(customers.country_code, 'unknown') as country_code
    from charges
    left join customers
        on charges.customer_id = customers.customer_id
    where charges.is_successful

),

by_country as (

    select
        months.month_start_date,
        countries.country_code,
        countries.is_international,
        coalesce(charges_monthly.successful_charge_count, 0) as successful_charge_count,
        coalesce(charges_monthly.gross_charges_usd, 0) as gross_charges_usd,
        coalesce(refunds_monthly.refund_count, 0) as refund_count,
        coalesce(refunds_monthly.refunded_amount_usd, 0) as refunded_amount_usd,
        coalesce(charges_monthly.gross_charges_usd, 0)
        - coalesce(refunds_monthly.refunded_amount_usd, 0) as revenue_by_geography_usd
    from months
    cross join countries
    left join charges_monthly
        on
            months.month_start_date = charges_monthly.month_start_date
            and countries.country_code = charges_monthly.country_code
    left join refunds_monthly
        on
            months.month_start_date = refunds_monthly.month_start_date
            and countries.country_code = refunds_monthly.country_code

),

month_totals as (

    select
        month_start_date,
        sum(revenue_by_geography_usd) as month_revenue_usd,
        sum(case when is_international then revenue_by_geography_usd else 0 end) as international_revenue_usd
    from by_country
    group by 1

),

final as (

    select
        by_country.month_start_date,
        by_country.country_code,
        by_country.is_international,
        by_country.successful_charge_count,
        {{ kpi_layer.as_amount('by_country.gross_charges_usd') }} as gross_charges_usd,
        by_country.refund_count,
        {{ kpi_layer.as_amount('by_country.refunded_amount_usd') }} as refunded_amount_usd,
        {{ kpi_layer.as_amount('by_country.revenue_by_geography_usd') }} as revenue_by_geography_usd,
        {{ kpi_layer.safe_divide('by_country.revenue_by_geography_usd', 'month_totals.month_revenue_usd') }}
            as country_revenue_share,
        {{ kpi_layer.as_amount('month_totals.month_revenue_usd') }} as month_revenue_usd,
        {{ kpi_layer.as_amount('month_totals.international_revenue_usd') }} as international_revenue_usd,
        {{ kpi_layer.safe_divide('month_totals.international_revenue_usd', 'month_totals.month_revenue_usd') }}
            as international_revenue_share,
        {{ var('international_revenue_share_target', 0.25) }} as international_revenue_share_target,
        -- compared on the amounts, not the floating-point share, so a share of exactly the target meets it
        case
            when month_totals.month_revenue_usd > 0
                then
                    month_totals.international_revenue_usd
                    >= month_totals.month_revenue_usd * {{ var('international_revenue_share_target', 0.25) }}
        end as is_international_target_met
    from by_country
    inner join month_totals
        on by_country.month_start_date = month_totals.month_start_date

)

select * from final
