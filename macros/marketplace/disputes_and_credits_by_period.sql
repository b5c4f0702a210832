{#
    The body of disputes_and_credits_weekly and disputes_and_credits_monthly: one definition, by period (grain 'week' or 'month', the
    period column `<grain>_start_date` of dim_dates). Credits convert at their month's rate whatever the grain.
#}
{% macro disputes_and_credits_by_period(grain) %}
with disputes as (

    select * from {{ ref('stg_marketplace__disputes') }}

),

credits as (

    select * from {{ ref('stg_marketplace__credits') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

opened as (

    select
        calendar.{{ grain }}_start_date,
        count(*) as disputes_opened
    from disputes
    inner join calendar
        on cast(disputes.opened_at as date) = calendar.date_day
    group by 1

),

closed as (

    select
        calendar.{{ grain }}_start_date,
        count(*) as disputes_closed
    from disputes
    inner join calendar
        on cast(disputes.closed_at as date) = calendar.date_day
    group by 1

),

issued as (

    select
        calendar.{{ grain }}_start_date,
        count(*) as credit_count,
        sum({{ kpi_layer.to_usd(
            'credits.credit_amount', 'fx_rates.usd_per_unit', 'credits.currency'
        ) }}) as credits_issued_usd
    from credits
    inner join calendar
        on cast(credits.issued_at as date) = calendar.date_day
    left join fx_rates
        on
            credits.currency = fx_rates.currency
            and calendar.month_start_date = fx_rates.month_start_date
    group by 1

),

first_days as (

    select min(cast(disputes.opened_at as date)) as first_date from disputes
    union all
    select min(cast(credits.issued_at as date)) as first_date from credits

),

periods as (

    select distinct calendar.{{ grain }}_start_date
    from calendar
    where
        calendar.date_day >= (select min(first_days.first_date) from first_days)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        periods.{{ grain }}_start_date,
        coalesce(opened.disputes_opened, 0) as disputes_opened,
        coalesce(closed.disputes_closed, 0) as disputes_closed,
        coalesce(issued.credit_count, 0) as credit_count,
        {{ kpi_layer.as_amount('coalesce(issued.credits_issued_usd, 0)') }} as credits_issued_usd
    from periods
    left join opened
        on periods.{{ grain }}_start_date = opened.{{ grain }}_start_date
    left join closed
        on periods.{{ grain }}_start_date = closed.{{ grain }}_start_date
    left join issued
        on periods.{{ grain }}_start_date = issued.{{ grain }}_start_date

)

select * from final
{% endmacro %}
