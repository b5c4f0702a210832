{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    A hirer's CSV export (seed 000, hirer dashboard: "export CSV"): their validated clicks and their invoice
    lines for a date range, one row per record, record_type 'click' or 'invoice_line'. Validated clicks are the
    billable ones (valid and redirected: what usage charges bill); invoice lines are the Stripe invoice lines of
    the hirer's Stripe customer (dim_customers: app marketplace, app_customer_id = hirer_id), dated by the
    service period they bill. Both ranges are inclusive, by UTC day.

        dbt compile --select hirer_click_export \
            --vars '{export_hirer_id: hir_00000004, export_start_date: "2025-06-01", export_end_date: "2025-06-30"}'

    or `python -m kpi_layer.export_hirer --hirer-id hir_00000004 --start 2025-06-01 --end 2025-06-30 --out x.csv`,
    which compiles this analysis, runs it and writes the CSV.
#}
{#- Unset, the export is empty (a plain `dbt compile` of the project must not fail on it). -#}
{%- set hirer_id = var('export_hirer_id', '') -%}

with clicks as (

    select * from {{ ref('fct_clicks') }}

),

invoice_lines as (

    select * from {{ ref('fct_invoice_lines') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

validated_clicks as (

    select
        'click' as record_type,
        clicks.click_id as record_id,
        clicks.click_date as record_date,
        clicks.clicked_at as occurred_at,
        clicks.route_id,
        clicks.listing_id,
        clicks.country_code,
        clicks.device_type,
        clicks.referrer,
        cast(null as {{ dbt.type_string() }}) as invoice_id,
        cast(null as {{ dbt.type_string() }}) as invoice_status,
        cast(null as {{ dbt.type_string() }}) as line_description,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as {{ dbt.type_numeric() }}) as amount,
        cast(null as {{ dbt.type_numeric() }}) as amount_usd
    from clicks
    where
        clicks.hirer_id = '{{ hirer_id }}'
        and clicks.is_billable
        and clicks.click_date between cast('{{ var("export_start_date", "1900-01-01") }}' as date)
        and cast('{{ var("export_end_date", "2999-12-31") }}' as date)

),

hirer_invoice_lines as (

    select
        'invoice_line' as record_type,
        invoice_lines.invoice_line_item_id as record_id,
        cast(invoice_lines.service_period_start_at as date) as record_date,
        invoice_lines.service_period_start_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as route_id,
        cast(null as {{ dbt.type_string() }}) as listing_id,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as referrer,
        invoice_lines.invoice_id,
        invoice_lines.invoice_status,
        invoice_lines.description as line_description,
        invoice_lines.currency,
        invoice_lines.amount,
        invoice_lines.amount_usd
    from invoice_lines
    inner join customers
        on invoice_lines.customer_id = customers.customer_id
    where
        customers.app_name = 'marketplace'
        and customers.app_customer_id = '{{ hirer_id }}'
        and cast(invoice_lines.service_period_start_at as date)
        between cast('{{ var("export_start_date", "1900-01-01") }}' as date)
        and cast('{{ var("export_end_date", "2999-12-31") }}' as date)

),

final as (

    select * from validated_clicks
    union all
    select * from hirer_invoice_lines

)

select * from final
order by record_type, occurred_at, record_id
