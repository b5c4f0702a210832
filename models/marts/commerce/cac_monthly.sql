{{ config(enabled=kpi_layer.using_families(['storefront', 'stripe'])) }}

{# cac per calendar month for the storefront: spend and new paying customers summed, then divided (kpi_layer.cac). #}
with cac_daily as (

    select * from {{ ref('cac_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        sum(acquisition_spend_usd) as acquisition_spend_usd,
        sum(new_paying_customers) as new_paying_customers
    from cac_daily
    group by 1

),

final as (

    select
        month_start_date,
        {{ kpi_layer.as_amount('acquisition_spend_usd') }} as acquisition_spend_usd,
        new_paying_customers,
        {{ kpi_layer.cac('acquisition_spend_usd', 'new_paying_customers') }} as cac
    from monthly

)

select * from final
