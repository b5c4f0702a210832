{#
    A subscription has one live price at a time: no two non-empty price periods of a subscription overlap, so
    month-end MRR never counts a subscription twice. Returns the overlapping pairs.
#}
with price_periods as (

    select * from {{ ref('int_subscription_line_periods') }}
    where effective_to_at > effective_from_at

),

overlapping_periods as (

    select
        earlier.subscription_id,
        earlier.invoice_line_item_id as earlier_line_id,
        earlier.invoice_id as earlier_invoice_id,
        later.invoice_line_item_id as later_line_id,
        later.invoice_id as later_invoice_id
    from price_periods as earlier
    inner join price_periods as later
        on
            earlier.subscription_id = later.subscription_id
            and earlier.effective_from_at <= later.effective_from_at
            and earlier.effective_to_at > later.effective_from_at
            and not (
                earlier.invoice_line_item_id = later.invoice_line_item_id
                and earlier.invoice_id = later.invoice_id
            )

)

select * from overlapping_periods
