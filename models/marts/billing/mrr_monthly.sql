{#
    Company MRR per month end, in USD, with its bridge from the previous month (fx restatement, then the five
    movements), customer counts, churn and ARPU. The alerts (seed 001: MRR drop > 5%, churn > 8%) come from the
    kpi_alert_rules var through kpi_layer.alert_level; the growth zones (seed 003) are vars too.
#}
with customer_months as (

    select * from {{ ref('mrr_by_customer_month') }}

),

monthly as (

    select
        month_start_date,
        month_end_date,
        measured_through_date,
        sum(mrr_usd) as mrr_usd,
        sum(opening_mrr_usd) as opening_mrr_usd,
        sum(fx_effect_usd) as fx_effect_usd,
        sum(previous_mrr_usd) as previous_mrr_usd,
        sum(new_mrr_usd) as new_mrr_usd,
        sum(expansion_mrr_usd) as expansion_mrr_usd,
        sum(contraction_mrr_usd) as contraction_mrr_usd,
        sum(churned_mrr_usd) as churned_mrr_usd,
        sum(reactivated_mrr_usd) as reactivated_mrr_usd,
        count(case when is_active_at_month_start then 1 end) as customers_at_month_start,
        count(case when is_active_at_month_end then 1 end) as customers_at_month_end,
        count(case when movement_type = 'new' then 1 end) as new_customers,
        count(case when movement_type = 'reactivated' then 1 end) as reactivated_customers,
        count(case when movement_type = 'churned' then 1 end) as churned_customers
    from customer_months
    group by month_start_date, month_end_date, measured_through_date

),

rated as (

    select
        *,
        new_mrr_usd + expansion_mrr_usd + contraction_mrr_usd + churned_mrr_usd + reactivated_mrr_usd
            as net_new_mrr_usd,
        -- growth at constant exchange rates: the movements over last month's MRR at this month's rates
        {{ kpi_layer.safe_divide('mrr_usd - previous_mrr_usd', 'previous_mrr_usd') }} as mrr_growth_rate,
        {{ kpi_layer.safe_divide('churned_customers', 'customers_at_month_start') }} as customer_churn_rate,
        {{ kpi_layer.safe_divide('mrr_usd', 'customers_at_month_end') }} as arpu_usd
    from monthly

),

final as (

    select
        month_start_date,
        month_end_date,
        measured_through_date,
        cast(mrr_usd as {{ dbt.type_numeric() }}) as mrr_usd,
        cast(mrr_usd * 12 as {{ dbt.type_numeric() }}) as arr_usd,
        cast(opening_mrr_usd as {{ dbt.type_numeric() }}) as opening_mrr_usd,
        cast(fx_effect_usd as {{ dbt.type_numeric() }}) as fx_effect_usd,
        cast(previous_mrr_usd as {{ dbt.type_numeric() }}) as previous_mrr_usd,
        cast(new_mrr_usd as {{ dbt.type_numeric() }}) as new_mrr_usd,
        cast(expansion_mrr_usd as {{ dbt.type_numeric() }}) as expansion_mrr_usd,
        cast(contraction_mrr_usd as {{ dbt.type_numeric() }}) as contraction_mrr_usd,
        cast(churned_mrr_usd as {{ dbt.type_numeric() }}) as churned_mrr_usd,
        cast(reactivated_mrr_usd as {{ dbt.type_numeric() }}) as reactivated_mrr_usd,
        cast(net_new_mrr_usd as {{ dbt.type_numeric() }}) as net_new_mrr_usd,
        mrr_growth_rate,
        coalesce(
            {{ kpi_layer.alert_level('mrr_growth_rate', 'mrr_growth_rate') }} in ('warn', 'critical'),
            false
        ) as is_mrr_drop_alert,
        case
            when mrr_growth_rate > {{ var('mrr_growth_green_above', 0.20) }} then 'green'
            when mrr_growth_rate >= {{ var('mrr_growth_yellow_from', 0.10) }} then 'yellow'
            when mrr_growth_rate is not null then 'red'
        end as mrr_growth_zone,
        customers_at_month_start,
        customers_at_month_end,
        new_customers,
        reactivated_customers,
        churned_customers,
        customer_churn_rate,
        coalesce(
            {{ kpi_layer.alert_level('customer_churn_rate', 'customer_churn_rate') }} in ('warn', 'critical'),
            false
        ) as is_customer_churn_alert,
        customers_at_month_end as paying_customers,
        arpu_usd
    from rated

)

select * from final
