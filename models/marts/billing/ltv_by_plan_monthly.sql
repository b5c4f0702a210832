{#
    LTV by plan (seed 004's "LTV by plan"): the plan's ARPU in USD and its customer churn (mrr_by_plan_monthly)
    through the same formula as the company figure (kpi_layer.ltv). No CAC here: ad spend is not tied to a
    plan, so LTV:CAC and payback are company figures (unit_economics_monthly).
#}
{%- set gross_margin_rate = var('subscription_gross_margin_rate', 0.80) -%}

with plans as (

    select * from {{ ref('mrr_by_plan_monthly') }}

),

final as (

    select
        month_start_date,
        product_line,
        plan_name,
        paying_customers,
        arpu_usd,
        customer_churn_rate,
        cast({{ gross_margin_rate }} as {{ kpi_layer.type_double() }}) as gross_margin_rate,
        {{ kpi_layer.ltv('arpu_usd', gross_margin_rate, 'customer_churn_rate') }} as ltv_usd
    from plans

)

select * from final
