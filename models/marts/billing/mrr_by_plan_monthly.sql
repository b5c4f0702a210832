{#
    MRR, paying customers, ARPU and customer churn per plan (product line + plan name, billing interval
    collapsed) per month. A customer counts at month end under the plan it is on then, and at month start under
    the plan it was on at the previous month end: a customer who changes plan counts once, under the old plan,
    in that month's churn base and is not churned. Churn targets per plan are the var
    plan_customer_churn_rate_targets (defaults from seed 004: Starter < 0.05, Pro < 0.03).
#}
{%- set churn_targets = var('plan_customer_churn_rate_targets', [
    {'product_line': 'automation', 'plan_name': 'Starter', 'target': 0.05},
    {'product_line': 'automation', 'plan_name': 'Pro', 'target': 0.03},
]) -%}

with customer_months as (

    select * from {{ ref('mrr_by_customer_month') }}

),

month_end_plans as (

    select
        month_start_date,
        product_line,
        plan_name,
        sum(mrr_usd) as mrr_usd,
        sum(mrr) as mrr,
        min(currency) as currency,
        count(distinct currency) as currencies,
        count(*) as paying_customers
    from customer_months
    where is_active_at_month_end
    group by month_start_date, product_line, plan_name

),

month_start_plans as (

    select
        month_start_date,
        previous_product_line as product_line,
        previous_plan_name as plan_name,
        count(*) as customers_at_month_start,
        count(case when not is_active_at_month_end then 1 end) as churned_customers
    from customer_months
    where is_active_at_month_start
    group by month_start_date, previous_product_line, previous_plan_name

),

plan_months as (

    select
        month_start_date,
        product_line,
        plan_name
    from month_end_plans

    union

    select
        month_start_date,
        product_line,
        plan_name
    from month_start_plans

),

months as (

    select distinct
        month_start_date,
        month_end_date
    from customer_months

),

joined as (

    select
        plan_months.month_start_date,
        months.month_end_date,
        plan_months.product_line,
        plan_months.plan_name,
        -- local amounts only where one currency makes them addable
        case when month_end_plans.currencies = 1 then month_end_plans.currency end as currency,
        case when month_end_plans.currencies = 1 then month_end_plans.mrr end as mrr,
        coalesce(month_end_plans.mrr_usd, 0) as mrr_usd,
        coalesce(month_end_plans.paying_customers, 0) as paying_customers,
        coalesce(month_start_plans.customers_at_month_start, 0) as customers_at_month_start,
        coalesce(month_start_plans.churned_customers, 0) as churned_customers
    from plan_months
    inner join months
        on plan_months.month_start_date = months.month_start_date
    left join month_end_plans
        on
            plan_months.month_start_date = month_end_plans.month_start_date
            and plan_months.product_line = month_end_plans.product_line
            and plan_months.plan_name = month_end_plans.plan_name
    left join month_start_plans
        on
            plan_months.month_start_date = month_start_plans.month_start_date
            and plan_months.product_line = month_start_plans.product_line
            and plan_months.plan_name = month_start_plans.plan_name

),

rated as (

    select
        *,
        {{ kpi_layer.safe_divide('mrr', 'paying_customers') }} as arpu,
        {{ kpi_layer.safe_divide('mrr_usd', 'paying_customers') }} as arpu_usd,
        {{ kpi_layer.safe_divide('churned_customers', 'customers_at_month_start') }} as customer_churn_rate,
        {% if churn_targets -%}
            case
                {%- for t in churn_targets %}
                    when product_line = '{{ t.product_line }}' and plan_name = '{{ t.plan_name }}' then {{ t.target }}
                {%- endfor %}
            end
        {%- else -%}
        cast(null as {{ kpi_layer.type_double() }})
        {%- endif %} as customer_churn_rate_target
    from joined

),

final as (

    select
        month_start_date,
        month_end_date,
        product_line,
        plan_name,
        currency,
        cast(mrr as {{ dbt.type_numeric() }}) as mrr,
        cast(mrr_usd as {{ dbt.type_numeric() }}) as mrr_usd,
        paying_customers,
        arpu,
        arpu_usd,
        customers_at_month_start,
        churned_customers,
        customer_churn_rate,
        customer_churn_rate_target,
        customer_churn_rate < customer_churn_rate_target as is_customer_churn_target_met
    from rated

)

select * from final
