{#
    The movements explain the month-over-month change exactly, recomputed from the previous row rather than
    from the models' own previous_* columns: per customer (local currency: movements = mrr - last month's mrr;
    USD: opening = last month's mrr_usd) and company-wide (mrr_usd = last month's mrr_usd + fx effect +
    movements; customers at start = last month's customers at end). Months are consecutive. Returns offenders.
#}
with customer_months as (

    select * from {{ ref('mrr_by_customer_month') }}

),

company_months as (

    select * from {{ ref('mrr_monthly') }}

),

customer_lagged as (

    select
        customer_id,
        month_start_date,
        mrr,
        mrr_usd,
        opening_mrr_usd,
        new_mrr + expansion_mrr + contraction_mrr + churned_mrr + reactivated_mrr as movements,
        lag(mrr) over (partition by customer_id order by month_start_date) as last_mrr,
        lag(mrr_usd) over (partition by customer_id order by month_start_date) as last_mrr_usd,
        lag(month_start_date) over (partition by customer_id order by month_start_date) as last_month_start_date
    from customer_months

),

customer_breaks as (

    select
        'customer' as check_level,
        customer_id,
        month_start_date
    from customer_lagged
    where
        movements <> mrr - coalesce(last_mrr, 0)
        or opening_mrr_usd <> coalesce(last_mrr_usd, 0)
        or last_month_start_date <> cast({{ dbt.dateadd('month', -1, 'month_start_date') }} as date)

),

company_lagged as (

    select
        month_start_date,
        mrr_usd,
        fx_effect_usd,
        customers_at_month_start,
        new_mrr_usd + expansion_mrr_usd + contraction_mrr_usd + churned_mrr_usd + reactivated_mrr_usd as movements,
        lag(mrr_usd) over (order by month_start_date) as last_mrr_usd,
        lag(customers_at_month_end) over (order by month_start_date) as last_customers_at_month_end,
        lag(month_start_date) over (order by month_start_date) as last_month_start_date
    from company_months

),

company_breaks as (

    select
        'company' as check_level,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        month_start_date
    from company_lagged
    where
        mrr_usd <> coalesce(last_mrr_usd, 0) + fx_effect_usd + movements
        or customers_at_month_start <> coalesce(last_customers_at_month_end, 0)
        or last_month_start_date <> cast({{ dbt.dateadd('month', -1, 'month_start_date') }} as date)

)

select * from customer_breaks
union all
select * from company_breaks
