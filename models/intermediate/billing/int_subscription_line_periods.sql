{#
    The price history of every subscription, from its invoice lines: one row per billed service period and one
    per plan change, each with its recurring amount normalised to a month, net of the discount active when it
    started, and the interval in which it is the subscription's live price (effective_from_at to
    effective_to_at). Trial lines, one-off items and proration amounts are not recurring revenue; a plan
    change only tells from when the new price applies (docs/decisions/billing_mrr.md). The product line is the
    price's metadata.product_line where the company sets one, else the product's name: plans group by product.
#}
with invoice_line_items as (

    select * from {{ ref('stg_stripe__invoice_line_item') }}

),

invoices as (

    select * from {{ ref('stg_stripe__invoice') }}

),

subscriptions as (

    select * from {{ ref('stg_stripe__subscription') }}

),

prices as (

    select * from {{ ref('stg_stripe__price') }}

),

products as (

    select * from {{ ref('stg_stripe__product') }}

),

discounts as (

    select * from {{ ref('stg_stripe__discount') }}

),

coupons as (

    select * from {{ ref('stg_stripe__coupon') }}

),

subscription_lines as (

    select
        invoice_line_items.invoice_line_item_id,
        invoice_line_items.invoice_id,
        invoice_line_items.subscription_id,
        subscriptions.customer_id,
        invoice_line_items.price_id,
        prices.product_id,
        prices.plan_code,
        products.product_name as plan_name,
        prices.recurring_interval,
        prices.recurring_interval_count,
        invoice_line_items.quantity,
        invoice_line_items.currency,
        invoice_line_items.is_discountable,
        invoice_line_items.period_start_at,
        invoice_line_items.period_end_at,
        subscriptions.ended_at as subscription_ended_at,
        coalesce(prices.product_line, products.product_name) as product_line,
        case
            when invoice_line_items.is_proration then 'plan_change'
            else 'billed_period'
        end as period_source,
        -- a proration line bills only the rest of the period: the recurring amount is the new price's
        case
            when invoice_line_items.is_proration then prices.unit_amount * invoice_line_items.quantity
            else invoice_line_items.amount
        end as period_amount
    from invoice_line_items
    inner join invoices
        on invoice_line_items.invoice_id = invoices.invoice_id
    inner join subscriptions
        on invoice_line_items.subscription_id = subscriptions.subscription_id
    left join prices
        on invoice_line_items.price_id = prices.price_id
    left join products
        on prices.product_id = products.product_id
    where
        not coalesce(invoices.is_deleted, false)
        -- never activated: the first payment failed and Stripe gave up
        and subscriptions.subscription_status not in ('incomplete', 'incomplete_expired')
        and (
            (
                invoice_line_items.line_item_type = 'subscription'
                and not invoice_line_items.is_proration
                -- the zero line of a trial is free time, not a price
                and not (
                    invoice_line_items.amount = 0
                    and subscriptions.trial_end_at is not null
                    and invoice_line_items.period_start_at < subscriptions.trial_end_at
                )
            )
            -- of a plan change's two proration lines, the charge (>= 0) carries the new price; the credit is
            -- the old price's unused time
            or (invoice_line_items.is_proration and invoice_line_items.amount >= 0)
        )

),

discount_windows as (

    select
        discounts.discount_id,
        discounts.discount_type,
        discounts.subscription_id,
        discounts.customer_id,
        discounts.coupon_id,
        coupons.percent_off,
        coupons.amount_off,
        coupons.currency as coupon_currency,
        discounts.start_at,
        -- Stripe fills `end` for repeating coupons; derive it when a sync lacks it
        coalesce(
            discounts.end_at,
            case
                when coupons.coupon_duration = 'repeating'
                    then {{ dbt.dateadd('month', 'coupons.duration_in_months', 'discounts.start_at') }}
            end
        ) as end_at
    from discounts
    inner join coupons
        on discounts.coupon_id = coupons.coupon_id
    -- a `once` coupon discounts one invoice: a one-off, like a proration, not a recurring price
    where
        coupons.coupon_duration in ('forever', 'repeating')
        and discounts.discount_type in ('subscription', 'customer')

),

line_discounts as (

    select
        subscription_lines.invoice_line_item_id,
        subscription_lines.invoice_id,
        discount_windows.coupon_id,
        discount_windows.percent_off,
        discount_windows.amount_off,
        -- Stripe applies one discount: the subscription's own before the customer's, the latest first
        row_number() over (
            partition by subscription_lines.invoice_line_item_id, subscription_lines.invoice_id
            order by
                case when discount_windows.discount_type = 'subscription' then 0 else 1 end asc,
                discount_windows.start_at desc,
                discount_windows.discount_id asc
        ) as discount_rank
    from subscription_lines
    inner join discount_windows
        on
            (
                (
                    discount_windows.discount_type = 'subscription'
                    and subscription_lines.subscription_id = discount_windows.subscription_id
                )
                or (
                    discount_windows.discount_type = 'customer'
                    and subscription_lines.customer_id = discount_windows.customer_id
                )
            )
            -- the discount active when the period (or the new price) starts is the one its invoice applies
            and subscription_lines.period_start_at >= discount_windows.start_at
            and (discount_windows.end_at is null or subscription_lines.period_start_at < discount_windows.end_at)
            and (discount_windows.amount_off is null or subscription_lines.currency = discount_windows.coupon_currency)
    where subscription_lines.is_discountable

),

discounted as (

    select
        subscription_lines.*,
        line_discounts.coupon_id,
        line_discounts.percent_off,
        line_discounts.amount_off,
        cast(coalesce(line_discounts.percent_off, 0) as {{ dbt.type_numeric() }}) as discount_percent,
        cast(coalesce(line_discounts.amount_off, 0) as {{ dbt.type_numeric() }}) as discount_amount_off,
        -- months per billing period = months_numerator / months_denominator: a year is 12 months, a week
        -- 12 / 52 of a month, a day 12 / 365; interval_count periods per bill
        case subscription_lines.recurring_interval
            when 'week' then 52
            when 'day' then 365
            else 1
        end as months_numerator,
        case subscription_lines.recurring_interval
            when 'month' then 1
            else 12
        end * subscription_lines.recurring_interval_count as months_denominator
    from subscription_lines
    left join line_discounts
        on
            subscription_lines.invoice_line_item_id = line_discounts.invoice_line_item_id
            and subscription_lines.invoice_id = line_discounts.invoice_id
            and line_discounts.discount_rank = 1

),

normalised as (

    select
        *,
        -- one division and one rounding, to whole minor units, on exact numerics (half away from zero on
        -- every warehouse)
        cast(round(
            cast(period_amount as {{ dbt.type_numeric() }}) * months_numerator / months_denominator
        ) as bigint) as gross_mrr_amount,
        cast(round(
            case
                when period_amount * (100 - discount_percent) - 100 * discount_amount_off > 0
                    then period_amount * (100 - discount_percent) - 100 * discount_amount_off
                else 0
            end * months_numerator / (100 * months_denominator)
        ) as bigint) as mrr_amount,
        -- the next price of the subscription supersedes this one from its start
        lead(period_start_at) over (
            partition by subscription_id
            order by
                period_start_at asc, period_source desc, period_amount asc, invoice_line_item_id asc, invoice_id asc
        ) as next_price_start_at
    from discounted

),

bounded as (

    select
        *,
        gross_mrr_amount - mrr_amount as discount_mrr_amount,
        -- live until the period ends, the next price starts or the subscription ends, whichever is first;
        -- never before it starts (a superseded row has an empty interval)
        greatest(
            period_start_at,
            least(
                period_end_at,
                coalesce(next_price_start_at, period_end_at),
                coalesce(subscription_ended_at, period_end_at)
            )
        ) as effective_to_at
    from normalised

),

final as (

    select
        invoice_line_item_id,
        invoice_id,
        subscription_id,
        customer_id,
        period_source,
        price_id,
        product_id,
        plan_code,
        plan_name,
        product_line,
        recurring_interval,
        recurring_interval_count,
        quantity,
        currency,
        period_amount,
        coupon_id,
        percent_off,
        amount_off,
        gross_mrr_amount,
        discount_mrr_amount,
        mrr_amount,
        period_start_at,
        period_end_at,
        subscription_ended_at,
        period_start_at as effective_from_at,
        effective_to_at
    from bounded

)

select * from final
