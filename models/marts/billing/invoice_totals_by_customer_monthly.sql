{#
    invoice_totals per Stripe customer (a marketplace customer is a hirer: app_customer_id = hirer_id) and
    month, in USD: what was invoiced (invoices finalised in the month, void ones excluded), what was paid in
    the month, and what was upcoming at the month's end (invoices created by then and still draft or open:
    not yet paid, voided nor marked uncollectible). A customer-month appears when any of the three is there.
#}
with invoices as (

    select * from {{ ref('fct_invoices') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

months as (

    select distinct
        calendar.month_start_date,
        cast({{ dbt.dateadd('month', 1, 'calendar.month_start_date') }} as date) as next_month_start_date
    from calendar
    where
        calendar.month_start_date >= (
            select cast({{ dbt.date_trunc('month', 'min(invoices.created_at)') }} as date) from invoices
        )
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

invoiced as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'finalized_at') }} as date) as month_start_date,
        count(*) as invoiced_count,
        sum(total_amount_usd) as invoice_totals_usd
    from invoices
    where
        finalized_at is not null
        and invoice_status <> 'void'
    group by 1, 2

),

paid as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'paid_at') }} as date) as month_start_date,
        count(*) as paid_count,
        sum(paid_amount_usd) as paid_amount_usd
    from invoices
    where paid_at is not null
    group by 1, 2

),

invoices_closed as (

    select
        customer_id,
        currency,
        due_amount,
        created_at,
        coalesce(paid_at, voided_at, marked_uncollectible_at) as closed_at
    from invoices

),

-- an invoice still to be collected when the month closed, valued at that month's rate
upcoming as (

    select
        invoices_closed.customer_id,
        months.month_start_date,
        count(*) as upcoming_invoice_count,
        sum({{ kpi_layer.major_to_usd('invoices_closed.due_amount', 'fx_rates.usd_per_unit') }}) as upcoming_amount_usd
    from invoices_closed
    inner join months
        on
            invoices_closed.created_at < months.next_month_start_date
            and (
                invoices_closed.closed_at is null
                or invoices_closed.closed_at >= months.next_month_start_date
            )
    left join fx_rates
        on
            invoices_closed.currency = fx_rates.currency
            and months.month_start_date = fx_rates.month_start_date
    where invoices_closed.due_amount > 0
    group by 1, 2

),

customer_months as (

    select
        customer_id,
        month_start_date
    from invoiced
    union
    select
        customer_id,
        month_start_date
    from paid
    union
    select
        customer_id,
        month_start_date
    from upcoming

),

final as (

    select
        customer_months.customer_id,
        customer_months.month_start_date,
        customers.app_name,
        customers.app_customer_id,
        coalesce(invoiced.invoiced_count, 0) as invoiced_count,
        {{ kpi_layer.as_amount('coalesce(invoiced.invoice_totals_usd, 0)') }} as invoice_totals_usd,
        coalesce(paid.paid_count, 0) as paid_count,
        {{ kpi_layer.as_amount('coalesce(paid.paid_amount_usd, 0)') }} as paid_amount_usd,
        coalesce(upcoming.upcoming_invoice_count, 0) as upcoming_invoice_count,
        {{ kpi_layer.as_amount('coalesce(upcoming.upcoming_amount_usd, 0)') }} as upcoming_amount_usd
    from customer_months
    left join customers
        on customer_months.customer_id = customers.customer_id
    left join invoiced
        on
            customer_months.customer_id = invoiced.customer_id
            and customer_months.month_start_date = invoiced.month_start_date
    left join paid
        on
            customer_months.customer_id = paid.customer_id
            and customer_months.month_start_date = paid.month_start_date
    left join upcoming
        on
            customer_months.customer_id = upcoming.customer_id
            and customer_months.month_start_date = upcoming.month_start_date

)

select * from final
