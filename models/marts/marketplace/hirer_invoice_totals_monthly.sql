{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    invoice_totals for the hirer dashboard: billing's invoice_totals_by_customer_monthly (the one definition
    of invoiced, paid and upcoming amounts) cut to the marketplace's Stripe customers and keyed by hirer.
    Nothing is recomputed here, so the hirer's figures and billing's can never disagree.
#}
with invoice_totals as (

    select * from {{ ref('invoice_totals_by_customer_monthly') }}

),

final as (

    select
        app_customer_id as hirer_id,
        month_start_date,
        customer_id,
        invoiced_count,
        invoice_totals_usd,
        paid_count,
        paid_amount_usd,
        upcoming_invoice_count,
        upcoming_amount_usd
    from invoice_totals
    where app_name = 'marketplace'

)

select * from final
