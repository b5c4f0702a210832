{#
    disputes_opened, disputes_closed and credits_issued per month. Opened and closed are counted in the month
    of their own event (a dispute opened in one month and closed in another counts once in each), so the
    two are flows, not a backlog. Credits are in USD at the issue month's rate. The months run from the first
    dispute or credit to the as-of date.
#}
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
        calendar.month_start_date,
        count(*) as disputes_opened
    from disputes
    inner join calendar
        on cast(disputes.opened_at as date) = calendar.date_day
    group by 1

),

closed as (

    select
        calendar.month_start_date,
        count(*) as disputes_closed
    from disputes
    inner join calendar
        on cast(disputes.closed_at as date) = calendar.date_day
    group by 1

),

issued as (

    select
        calendar.month_start_date,
        count(*) as credit_count,
        sum({{ kpi_layer.to_usd('credits.credit_amount', 'fx_rates.usd_per_unit') }}) as credits_issued_usd
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

months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.date_day >= (select min(first_days.first_date) from first_days)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        months.month_start_date,
        coalesce(opened.disputes_opened, 0) as disputes_opened,
        coalesce(closed.disputes_closed, 0) as disputes_closed,
        coalesce(issued.credit_count, 0) as credit_count,
        {{ kpi_layer.as_amount('coalesce(issued.credits_issued_usd, 0)') }} as credits_issued_usd
    from months
    left join opened
        on months.month_start_date = opened.month_start_date
    left join closed
        on months.month_start_date = closed.month_start_date
    left join issued
        on months.month_start_date = issued.month_start_date

)

select * from final
