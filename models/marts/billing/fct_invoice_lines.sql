{#
    Every invoice line: the service period it bills, its amount (negative for a proration credit), and the
    price and plan billed. Amounts convert to USD at the month the invoice was created.
#}
with invoice_lines as (

    select * from {{ ref('stg_stripe__invoice_line_item') }}

),

invoices as (

    select * from {{ ref('stg_stripe__invoice') }}

),

invoices_attributed as (

    select * from {{ ref('int_invoices_attributed') }}

),

prices as (

    select * from {{ ref('stg_stripe__price') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

final as (

    select
        invoice_lines.invoice_line_item_id,
        invoice_lines.invoice_id,
        invoices.customer_id,
        invoices.invoice_status,
        invoices_attributed.app_name,
        invoice_lines.subscription_id,
        invoice_lines.subscription_item_id,
        invoice_lines.invoice_item_id,
        invoice_lines.line_item_type,
        invoice_lines.is_proration,
        invoice_lines.is_discountable,
        invoice_lines.price_id,
        prices.plan_code,
        prices.product_line,
        prices.recurring_interval,
        prices.recurring_interval_count,
        invoice_lines.quantity,
        invoice_lines.description,
        invoice_lines.currency,
        {{ kpi_layer.to_major_units('invoice_lines.amount', 'invoice_lines.currency') }} as amount,
        {{ kpi_layer.to_usd('invoice_lines.amount', 'fx_rates.usd_per_unit', 'invoice_lines.currency') }} as amount_usd,
        invoice_lines.period_start_at as service_period_start_at,
        invoice_lines.period_end_at as service_period_end_at,
        invoices.created_at as invoice_created_at
    from invoice_lines
    left join invoices
        on invoice_lines.invoice_id = invoices.invoice_id
    left join invoices_attributed
        on invoice_lines.invoice_id = invoices_attributed.invoice_id
    left join prices
        on invoice_lines.price_id = prices.price_id
    left join fx_rates
        on
            invoice_lines.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'invoices.created_at') }} as date) = fx_rates.month_start_date

)

select * from final
