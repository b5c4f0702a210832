{#
    Company unit economics per month: LTV from blended ARPU and customer churn (mrr_monthly), CAC from the
    project's one set of acquisition inputs (int_customer_acquisition_daily), and the two ratios built on
    them. The subscription gross margin is a var: the data holds no cost of serving a subscription, and the
    documents give no figure (docs/decisions/unit_economics.md).
#}
{%- set gross_margin_rate = var('subscription_gross_margin_rate', 0.80) -%}

with mrr as (

    select * from {{ ref('mrr_monthly') }}

),

acquisition as (

    select * from {{ ref('int_customer_acquisition_daily') }}

),

acquisition_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        sum(new_paying_customers) as new_paying_customers,
        -- CAC divides spend by the customers that spend could have bought: apps with a spend source
        sum(case when acquisition_spend_usd is not null then new_paying_customers else 0 end)
            as spend_tracked_new_paying_customers,
        sum(acquisition_spend_usd) as acquisition_spend_usd
    from acquisition
    group by cast({{ dbt.date_trunc('month', 'date_day') }} as date)

),

joined as (

    select
        mrr.month_start_date,
        mrr.mrr_usd,
        mrr.paying_customers,
        mrr.arpu_usd,
        mrr.customer_churn_rate,
        cast({{ gross_margin_rate }} as {{ kpi_layer.type_double() }}) as gross_margin_rate,
        coalesce(acquisition_monthly.new_paying_customers, 0) as new_paying_customers,
        coalesce(acquisition_monthly.spend_tracked_new_paying_customers, 0) as spend_tracked_new_paying_customers,
        {{ kpi_layer.as_amount('coalesce(acquisition_monthly.acquisition_spend_usd, 0)') }}
            as acquisition_spend_usd
    from mrr
    left join acquisition_monthly
        on mrr.month_start_date = acquisition_monthly.month_start_date

),

unit_economics as (

    select
        *,
        {{ kpi_layer.ltv('arpu_usd', 'gross_margin_rate', 'customer_churn_rate') }} as ltv_usd,
        {{ kpi_layer.cac('acquisition_spend_usd', 'spend_tracked_new_paying_customers') }} as cac_usd
    from joined

),

final as (

    select
        month_start_date,
        mrr_usd,
        paying_customers,
        arpu_usd,
        customer_churn_rate,
        gross_margin_rate,
        ltv_usd,
        new_paying_customers,
        spend_tracked_new_paying_customers,
        acquisition_spend_usd,
        cac_usd,
        {{ kpi_layer.safe_divide('ltv_usd', 'cac_usd') }} as ltv_to_cac,
        {{ kpi_layer.payback_period_months('cac_usd', 'arpu_usd', 'gross_margin_rate') }} as payback_period_months
    from unit_economics

)

select * from final
