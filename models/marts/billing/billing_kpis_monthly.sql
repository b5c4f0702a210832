{#
    The monthly billing KPIs side by side, one row per month: what a finance dashboard reads. Nothing is
    computed twice: each figure comes from the mart that defines it, and ratios over apps are recomputed from
    the summed counts (a ratio of sums, never an average of the apps' ratios). Creator revenue needs the
    product family (var using_product); without it its columns are null.
#}
with mrr as (

    select * from {{ ref('mrr_monthly') }}

),

unit_economics as (

    select * from {{ ref('unit_economics_monthly') }}

),

refunds as (

    select * from {{ ref('refunds_and_chargebacks_monthly') }}

),

failed_payments as (

    select * from {{ ref('failed_payments_monthly') }}

),

geography as (

    select * from {{ ref('revenue_by_geography_monthly') }}

),

{%- if var('using_product') %}

    creators as (

        select * from {{ ref('creator_revenue_monthly') }}

    ),
{%- endif %}

invoices as (

    select * from {{ ref('invoice_totals_by_customer_monthly') }}

),

refunds_monthly as (

    select
        month_start_date,
        sum(gross_charges_usd) as gross_charges_usd,
        sum(refunds_and_chargebacks_usd) as refunds_and_chargebacks_usd
    from refunds
    group by month_start_date

),

failed_payments_monthly as (

    select
        month_start_date,
        sum(payment_attempts) as payment_attempts,
        sum(failed_payment_attempts) as failed_payment_attempts
    from failed_payments
    group by month_start_date

),

-- the month-level columns repeat on every country row of the month
geography_monthly as (

    select
        month_start_date,
        max(month_revenue_usd) as revenue_usd,
        max(international_revenue_usd) as international_revenue_usd
    from geography
    group by month_start_date

),

invoices_monthly as (

    select
        month_start_date,
        sum(invoice_totals_usd) as invoice_totals_usd,
        sum(upcoming_amount_usd) as upcoming_amount_usd
    from invoices
    group by month_start_date

),

months as (

    select month_start_date from mrr
    union
    select month_start_date from refunds_monthly
    union
    select month_start_date from failed_payments_monthly
    union
    select month_start_date from geography_monthly

),

final as (

    select
        months.month_start_date,
        mrr.mrr_usd,
        mrr.arr_usd,
        mrr.mrr_growth_rate,
        mrr.net_new_mrr_usd,
        mrr.new_mrr_usd,
        mrr.expansion_mrr_usd,
        mrr.contraction_mrr_usd,
        mrr.churned_mrr_usd,
        mrr.reactivated_mrr_usd,
        mrr.paying_customers,
        mrr.customer_churn_rate,
        mrr.arpu_usd,
        unit_economics.ltv_usd,
        unit_economics.cac_usd,
        unit_economics.ltv_to_cac,
        unit_economics.payback_period_months,
        {{ kpi_layer.as_amount('geography_monthly.revenue_usd') }} as revenue_usd,
        {{ kpi_layer.as_amount('geography_monthly.international_revenue_usd') }} as international_revenue_usd,
        {{ kpi_layer.safe_divide('geography_monthly.international_revenue_usd', 'geography_monthly.revenue_usd') }}
            as international_revenue_share,
        {{ kpi_layer.as_amount('refunds_monthly.gross_charges_usd') }} as gross_charges_usd,
        {{ kpi_layer.as_amount('refunds_monthly.refunds_and_chargebacks_usd') }} as refunds_and_chargebacks_usd,
        {{ kpi_layer.safe_divide(
            'refunds_monthly.refunds_and_chargebacks_usd',
            'refunds_monthly.gross_charges_usd',
        ) }} as refunds_and_chargebacks_share,
        failed_payments_monthly.payment_attempts,
        failed_payments_monthly.failed_payment_attempts,
        {{ kpi_layer.safe_divide(
            'failed_payments_monthly.failed_payment_attempts',
            'failed_payments_monthly.payment_attempts',
        ) }} as failed_payment_rate,
        {{ kpi_layer.as_amount('invoices_monthly.invoice_totals_usd') }} as invoice_totals_usd,
        {{ kpi_layer.as_amount('invoices_monthly.upcoming_amount_usd') }} as upcoming_amount_usd,
        {%- if var('using_product') %}
            creators.revenue_per_creator_usd,
            creators.mean_creator_revenue_growth_rate
        {%- else %}
        {{ kpi_layer.as_amount('null') }} as revenue_per_creator_usd,
        cast(null as {{ kpi_layer.type_double() }}) as mean_creator_revenue_growth_rate
        {%- endif %}
    from months
    left join mrr
        on months.month_start_date = mrr.month_start_date
    left join unit_economics
        on months.month_start_date = unit_economics.month_start_date
    left join geography_monthly
        on months.month_start_date = geography_monthly.month_start_date
    left join refunds_monthly
        on months.month_start_date = refunds_monthly.month_start_date
    left join failed_payments_monthly
        on months.month_start_date = failed_payments_monthly.month_start_date
    left join invoices_monthly
        on months.month_start_date = invoices_monthly.month_start_date
    {%- if var('using_product') %}
        left join creators
            on months.month_start_date = creators.month_start_date
    {%- endif %}

)

select * from final
