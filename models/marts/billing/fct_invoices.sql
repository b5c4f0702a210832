{#
    Every invoice with its totals in major units and USD, its app and customer, and the service period its
    lines cover (Stripe's own invoice period is the accrual period: for a renewal, the previous period).
    Amounts billed convert at the month the invoice was created; the amount paid at the month it was paid.
    A sync without status_transitions_paid_at (an optional column) dates a paid invoice by its successful charge.
#}
with invoices as (

    select * from {{ ref('stg_stripe__invoice') }}

),

invoices_attributed as (

    select * from {{ ref('int_invoices_attributed') }}

),

customers as (

    select * from {{ ref('stg_stripe__customer') }}

),

invoice_lines as (

    select * from {{ ref('stg_stripe__invoice_line_item') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

paid_times as (

    select
        invoices.invoice_id,
        coalesce(
            invoices.paid_at,
            case when invoices.invoice_status = 'paid' then charges.created_at end
        ) as paid_at
    from invoices
    left join charges
        on
            invoices.charge_id = charges.charge_id
            and charges.charge_status = 'succeeded'

),

lines_per_invoice as (

    select
        invoice_id,
        count(*) as line_count,
        sum(case when is_proration then 1 else 0 end) as proration_line_count,
        min(period_start_at) as service_period_start_at,
        max(period_end_at) as service_period_end_at
    from invoice_lines
    group by invoice_id

),

final as (

    select
        invoices.invoice_id,
        invoices.customer_id,
        customers.app_customer_id,
        invoices.subscription_id,
        invoices.charge_id,
        invoices.invoice_number,
        invoices.invoice_status,
        invoices.billing_reason,
        invoices.collection_method,
        invoices_attributed.app_name,
        invoices_attributed.app_object_type,
        invoices_attributed.app_object_id,
        invoices_attributed.attribution_source,
        invoices.currency,
        {{ kpi_layer.to_major_units('invoices.subtotal_amount', 'invoices.currency') }} as subtotal_amount,
        {{ kpi_layer.to_major_units('invoices.discount_amount', 'invoices.currency') }} as discount_amount,
        {{ kpi_layer.to_major_units('invoices.tax_amount', 'invoices.currency') }} as tax_amount,
        {{ kpi_layer.to_major_units('invoices.total_amount', 'invoices.currency') }} as total_amount,
        {{ kpi_layer.to_major_units('invoices.due_amount', 'invoices.currency') }} as due_amount,
        {{ kpi_layer.to_major_units('invoices.paid_amount', 'invoices.currency') }} as paid_amount,
        {{ kpi_layer.to_major_units('invoices.remaining_amount', 'invoices.currency') }} as remaining_amount,
        {{ kpi_layer.to_usd(
            'invoices.subtotal_amount', 'created_fx.usd_per_unit', 'invoices.currency'
        ) }} as subtotal_amount_usd,
        {{ kpi_layer.to_usd(
            'invoices.discount_amount', 'created_fx.usd_per_unit', 'invoices.currency'
        ) }} as discount_amount_usd,
        {{ kpi_layer.to_usd(
            'invoices.total_amount', 'created_fx.usd_per_unit', 'invoices.currency'
        ) }} as total_amount_usd,
        {{ kpi_layer.to_usd('invoices.due_amount', 'created_fx.usd_per_unit', 'invoices.currency') }} as due_amount_usd,
        {{ kpi_layer.to_usd('invoices.paid_amount', 'paid_fx.usd_per_unit', 'invoices.currency') }} as paid_amount_usd,
        invoices.attempt_count,
        coalesce(lines_per_invoice.line_count, 0) as line_count,
        coalesce(lines_per_invoice.proration_line_count, 0) as proration_line_count,
        invoices.period_start_at,
        invoices.period_end_at,
        lines_per_invoice.service_period_start_at,
        lines_per_invoice.service_period_end_at,
        invoices.created_at,
        invoices.finalized_at,
        invoices.due_at,
        paid_times.paid_at,
        invoices.voided_at,
        invoices.marked_uncollectible_at,
        invoices.next_payment_attempt_at
    from invoices
    left join invoices_attributed
        on invoices.invoice_id = invoices_attributed.invoice_id
    left join customers
        on invoices.customer_id = customers.customer_id
    left join paid_times
        on invoices.invoice_id = paid_times.invoice_id
    left join lines_per_invoice
        on invoices.invoice_id = lines_per_invoice.invoice_id
    left join fx_rates as created_fx
        on
            invoices.currency = created_fx.currency
            and cast({{ dbt.date_trunc('month', 'invoices.created_at') }} as date) = created_fx.month_start_date
    left join fx_rates as paid_fx
        on
            invoices.currency = paid_fx.currency
            and cast({{ dbt.date_trunc('month', 'paid_times.paid_at') }} as date) = paid_fx.month_start_date

)

select * from final
