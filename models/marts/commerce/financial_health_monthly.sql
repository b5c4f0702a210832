{#
    Seed 001's financial health view per calendar month: gross_margin, operating_expenses, runway_months and
    break_even_month (the last two defined in the KPI catalog, not the document).

    - Amounts come from the ledger days only: a day missing from metrics_daily has no COGS or opex, so its
      revenue is left out of the month's margin too (ledger_days says how many days the month has).
    - net_burn = operating expenses - gross margin (cash out of the business before financing).
    - runway_months = month-end cash / the average net_burn of this and the two previous months; null when the
      business is not burning (no runway limit) or without three months of history.
    - break_even_month projects gross margin and opex forward at their own trailing 3-month compound growth
      rates and takes the first month where margin >= opex: k = ceil(3 ln(opex / gm) / (ln(gm / gm_3) -
      ln(opex / opex_3))). Null when margin never catches up (it grows no faster than opex) or only beyond
      var storefront_break_even_horizon_months; the month itself when it already covers opex.
    - Runway and break-even are given for complete months only (every calendar day up to the as-of date):
      a partial month's sums would read as a collapse.
#}
{%- set horizon = var('storefront_break_even_horizon_months', 60) -%}

with gross_margin_daily as (

    select * from {{ ref('gross_margin_daily') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

month_ends as (

    select
        date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cash_balance,
        row_number() over (
            partition by cast({{ dbt.date_trunc('month', 'date_day') }} as date)
            order by date_day desc
        ) as recency
    from gross_margin_daily
    where cash_balance is not null

),

month_lengths as (

    select
        month_start_date,
        count(*) as calendar_days
    from calendar
    group by 1

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        count(*) as days_in_data,
        count(cogs) as ledger_days,
        sum(case when cogs is not null then revenue end) as revenue,
        sum(cogs) as cogs,
        sum(gross_margin) as gross_margin,
        sum(operating_expenses) as operating_expenses
    from gross_margin_daily
    group by 1

),

measured as (

    select
        monthly.month_start_date,
        monthly.days_in_data = month_lengths.calendar_days as is_complete_month,
        monthly.ledger_days,
        {{ kpi_layer.as_amount('monthly.revenue') }} as revenue,
        {{ kpi_layer.as_amount('monthly.cogs') }} as cogs,
        {{ kpi_layer.as_amount('monthly.gross_margin') }} as gross_margin,
        {{ kpi_layer.safe_divide('monthly.gross_margin', 'monthly.revenue') }} as gross_margin_rate,
        {{ kpi_layer.as_amount('monthly.operating_expenses') }} as operating_expenses,
        {{ kpi_layer.as_amount('monthly.operating_expenses - monthly.gross_margin') }} as net_burn,
        month_ends.cash_balance as month_end_cash_balance
    from monthly
    inner join month_lengths
        on monthly.month_start_date = month_lengths.month_start_date
    left join month_ends
        on
            monthly.month_start_date = month_ends.month_start_date
            and month_ends.recency = 1

),

trailing_windows as (

    select
        *,
        count(*) over (order by month_start_date rows between 2 preceding and current row) as trailing_months,
        avg(cast(net_burn as {{ kpi_layer.type_double() }})) over (
            order by month_start_date rows between 2 preceding and current row
        ) as average_net_burn_3m,
        lag(gross_margin, 3) over (order by month_start_date) as gross_margin_3m_ago,
        lag(operating_expenses, 3) over (order by month_start_date) as operating_expenses_3m_ago
    from measured

),

growth_logs as (

    select
        *,
        case
            when
                gross_margin > 0 and gross_margin_3m_ago > 0
                and operating_expenses > 0 and operating_expenses_3m_ago > 0
                then ln(cast(operating_expenses as {{ kpi_layer.type_double() }}) / gross_margin)
        end as log_gap,
        case
            when
                gross_margin > 0 and gross_margin_3m_ago > 0
                and operating_expenses > 0 and operating_expenses_3m_ago > 0
                then
                    ln(cast(gross_margin as {{ kpi_layer.type_double() }}) / gross_margin_3m_ago)
                    - ln(cast(operating_expenses as {{ kpi_layer.type_double() }}) / operating_expenses_3m_ago)
        end as log_growth_gap_3m
    from trailing_windows

),

projected as (

    select
        *,
        -- margin below opex but growing faster: months until the gap closes at the 3-month rates
        case
            when log_gap > 0 and log_growth_gap_3m > 0
                then cast(ceiling(3 * log_gap / log_growth_gap_3m) as integer)
        end as months_to_break_even
    from growth_logs

),

final as (

    select
        month_start_date,
        is_complete_month,
        ledger_days,
        revenue,
        cogs,
        gross_margin,
        gross_margin_rate,
        operating_expenses,
        net_burn,
        month_end_cash_balance,
        case
            when is_complete_month and trailing_months = 3 and average_net_burn_3m > 0
                then {{ kpi_layer.safe_divide('month_end_cash_balance', 'average_net_burn_3m') }}
        end as runway_months,
        case
            when not is_complete_month then null
            when gross_margin >= operating_expenses then month_start_date
            when months_to_break_even <= {{ horizon }}
                then cast({{ dbt.dateadd('month', 'months_to_break_even', 'month_start_date') }} as date)
        end as break_even_month
    from projected

)

select * from final
