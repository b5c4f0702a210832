{#
    The app a charge belongs to: the charge's own metadata for app payments; for invoice payments (whose
    metadata Stripe leaves empty) the app of the invoice, itself resolved through its subscription.
#}
with charges as (

    select * from {{ ref('stg_stripe__charge') }}

),

invoices_attributed as (

    select * from {{ ref('int_invoices_attributed') }}

),

final as (

    select
        charges.charge_id,
        charges.invoice_id,
        invoices_attributed.subscription_id,
        coalesce(charges.app_name, invoices_attributed.app_name) as app_name,
        case
            when charges.app_name is not null then charges.app_object_type
            else invoices_attributed.app_object_type
        end as app_object_type,
        case
            when charges.app_name is not null then charges.app_object_id
            else invoices_attributed.app_object_id
        end as app_object_id,
        case
            when charges.app_name is not null then 'charge_metadata'
            else invoices_attributed.attribution_source
        end as attribution_source
    from charges
    left join invoices_attributed
        on charges.invoice_id = invoices_attributed.invoice_id

)

select * from final
