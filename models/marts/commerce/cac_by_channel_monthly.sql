{{ config(enabled=kpi_layer.using_families(['storefront', 'stripe'])) }}

{#
    cac_by_channel per calendar month and acquisition channel for the storefront, from the project's one CAC
    input (int_customer_acquisition_daily). Ad spend buys paid_social customers, so the other channels have a
    CAC of 0 (no ad spend, by the intermediate's definition) and paid_social carries all of it.
#}
with acquisition as (

    select * from {{ ref('int_customer_acquisition_daily') }}
    where app_name = 'storefront'

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        acquisition_channel,
        sum(acquisition_spend_usd) as acquisition_spend_usd,
        sum(new_paying_customers) as new_paying_customers
    from acquisition
    group by 1, 2

),

final as (

    select
        month_start_date,
        acquisition_channel,
        {{ kpi_layer.as_amount('acquisition_spend_usd') }} as acquisition_spend_usd,
        new_paying_customers,
        {{ kpi_layer.cac('acquisition_spend_usd', 'new_paying_customers') }} as cac_by_channel
    from monthly

)

select * from final
