{#
    The app an invoice belongs to. The apps' one-off invoices carry it in their own metadata; Stripe does not
    copy a subscription's metadata to its invoices, so subscription invoices take it from the subscription.
    The apps store the Stripe subscription id as their own, so it is the app object of a subscription invoice.
#}
with invoices as (

    select * from {{ ref('stg_stripe__invoice') }}

),

subscriptions as (

    select * from {{ ref('stg_stripe__subscription') }}

),

final as (

    select
        invoices.invoice_id,
        invoices.subscription_id,
        coalesce(invoices.app_name, subscriptions.app_name) as app_name,
        case
            when invoices.app_name is not null then invoices.app_object_type
            when subscriptions.app_name is not null then 'subscription'
        end as app_object_type,
        case
            when invoices.app_name is not null then invoices.app_object_id
            when subscriptions.app_name is not null then subscriptions.subscription_id
        end as app_object_id,
        case
            when invoices.app_name is not null then 'invoice_metadata'
            when subscriptions.app_name is not null then 'subscription_metadata'
        end as attribution_source
    from invoices
    left join subscriptions
        on invoices.subscription_id = subscriptions.subscription_id

)

select * from final
