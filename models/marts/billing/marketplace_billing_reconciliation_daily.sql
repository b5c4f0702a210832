{{ config(enabled=kpi_layer.using_families(['stripe', 'marketplace'])) }}

{#
    Seed 000's nightly reconciliation: what the marketplace app says it charged each hirer each day
    (contract charges) against what Stripe holds for that hirer that day (charges and invoices of Stripe
    customers of app marketplace whose app_customer_id is the hirer). Amounts are compared currency by
    currency in minor units, so a match is exact; the USD columns are for reading and summing.

    reconciliation_status:
      missing_in_stripe  the app recorded charges, Stripe has no charge attempt for the hirer that day
      missing_in_app     Stripe has charge attempts the app did not record
      matched            both sides: same attempts, same succeeded attempts, same collected amount per currency
      mismatched         both sides, but they differ
#}
with contract_charges as (

    select * from {{ ref('stg_marketplace__contract_charges') }}

),

charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

invoices as (

    select * from {{ ref('stg_stripe__invoice') }}

),

customers as (

    select * from {{ ref('stg_stripe__customer') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

marketplace_customers as (

    select
        customer_id,
        app_customer_id as hirer_id
    from customers
    where app_name = 'marketplace'

),

internal_side as (

    select
        hirer_id,
        cast(charged_at as date) as date_day,
        currency,
        count(*) as attempt_count,
        sum(case when charge_status = 'succeeded' then 1 else 0 end) as succeeded_count,
        sum(case when charge_status = 'succeeded' then charge_amount else 0 end) as succeeded_amount
    from contract_charges
    group by 1, 2, 3

),

stripe_charge_side as (

    select
        marketplace_customers.hirer_id,
        cast(charges.created_at as date) as date_day,
        charges.currency,
        count(*) as attempt_count,
        sum(case when charges.charge_status = 'succeeded' then 1 else 0 end) as succeeded_count,
        sum(case when charges.charge_status = 'succeeded' then charges.amount else 0 end) as succeeded_amount
    from charges
    inner join marketplace_customers
        on charges.customer_id = marketplace_customers.customer_id
    group by 1, 2, 3

),

-- an invoice is read on the day of its first charge attempt (one invoice per marketplace charge)
invoice_first_attempts as (

    select
        invoice_id,
        min(created_at) as first_attempt_at
    from charges
    where invoice_id is not null
    group by 1

),

stripe_invoice_side as (

    select
        marketplace_customers.hirer_id,
        cast(invoice_first_attempts.first_attempt_at as date) as date_day,
        invoices.currency,
        count(*) as invoice_count,
        sum(invoices.total_amount) as invoiced_amount
    from invoices
    inner join invoice_first_attempts
        on invoices.invoice_id = invoice_first_attempts.invoice_id
    inner join marketplace_customers
        on invoices.customer_id = marketplace_customers.customer_id
    group by 1, 2, 3

),

keys as (

    select
        hirer_id,
        date_day,
        currency
    from internal_side
    union
    select
        hirer_id,
        date_day,
        currency
    from stripe_charge_side

),

by_currency as (

    select
        keys.hirer_id,
        keys.date_day,
        keys.currency,
        fx_rates.usd_per_unit,
        coalesce(internal_side.attempt_count, 0) as internal_attempt_count,
        coalesce(internal_side.succeeded_count, 0) as internal_succeeded_count,
        coalesce(internal_side.succeeded_amount, 0) as internal_succeeded_amount,
        coalesce(stripe_charge_side.attempt_count, 0) as stripe_attempt_count,
        coalesce(stripe_charge_side.succeeded_count, 0) as stripe_succeeded_count,
        coalesce(stripe_charge_side.succeeded_amount, 0) as stripe_succeeded_amount,
        coalesce(stripe_invoice_side.invoice_count, 0) as stripe_invoice_count,
        coalesce(stripe_invoice_side.invoiced_amount, 0) as stripe_invoiced_amount
    from keys
    left join internal_side
        on
            keys.hirer_id = internal_side.hirer_id
            and keys.date_day = internal_side.date_day
            and keys.currency = internal_side.currency
    left join stripe_charge_side
        on
            keys.hirer_id = stripe_charge_side.hirer_id
            and keys.date_day = stripe_charge_side.date_day
            and keys.currency = stripe_charge_side.currency
    left join stripe_invoice_side
        on
            keys.hirer_id = stripe_invoice_side.hirer_id
            and keys.date_day = stripe_invoice_side.date_day
            and keys.currency = stripe_invoice_side.currency
    left join fx_rates
        on
            keys.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'keys.date_day') }} as date) = fx_rates.month_start_date

),

by_hirer_day as (

    select
        hirer_id,
        date_day,
        sum(internal_attempt_count) as internal_attempt_count,
        sum(internal_succeeded_count) as internal_succeeded_count,
        sum({{ kpi_layer.to_usd(
            'internal_succeeded_amount', 'usd_per_unit', 'currency'
        ) }}) as internal_succeeded_amount_usd,
        sum(stripe_attempt_count) as stripe_attempt_count,
        sum(stripe_succeeded_count) as stripe_succeeded_count,
        sum({{ kpi_layer.to_usd(
            'stripe_succeeded_amount', 'usd_per_unit', 'currency'
        ) }}) as stripe_succeeded_amount_usd,
        sum(stripe_invoice_count) as stripe_invoice_count,
        sum({{ kpi_layer.to_usd('stripe_invoiced_amount', 'usd_per_unit', 'currency') }}) as stripe_invoiced_amount_usd,
        -- per currency first, in minor units, so equal sides give exactly zero
        sum(
            {{ kpi_layer.to_usd('internal_succeeded_amount - stripe_succeeded_amount', 'usd_per_unit', 'currency') }}
        ) as difference_amount_usd,
        sum(
            case
                when
                    internal_succeeded_amount <> stripe_succeeded_amount
                    or internal_attempt_count <> stripe_attempt_count
                    or internal_succeeded_count <> stripe_succeeded_count
                    then 1
                else 0
            end
        ) as mismatched_currency_count
    from by_currency
    group by 1, 2

),

final as (

    select
        hirer_id,
        date_day,
        internal_attempt_count,
        internal_succeeded_count,
        {{ kpi_layer.as_amount('internal_succeeded_amount_usd') }} as internal_succeeded_amount_usd,
        stripe_attempt_count,
        stripe_succeeded_count,
        {{ kpi_layer.as_amount('stripe_succeeded_amount_usd') }} as stripe_succeeded_amount_usd,
        stripe_invoice_count,
        {{ kpi_layer.as_amount('stripe_invoiced_amount_usd') }} as stripe_invoiced_amount_usd,
        {{ kpi_layer.as_amount('difference_amount_usd') }} as difference_amount_usd,
        mismatched_currency_count,
        case
            when internal_attempt_count > 0 and stripe_attempt_count = 0 then 'missing_in_stripe'
            when internal_attempt_count = 0 and stripe_attempt_count > 0 then 'missing_in_app'
            when mismatched_currency_count = 0 then 'matched'
            else 'mismatched'
        end as reconciliation_status
    from by_hirer_day

)

select * from final
