{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    One row per contract charge the marketplace app attempted. The app's own record decides what was
    collected (GMV counts collected charges without waiting for Stripe); Stripe, through the charge the app
    links to (stripe_charge_id), supplies what only Stripe knows: the processing fee and any refund. The
    platform fee is the take rate (var marketplace_take_rate) of the USD amount, rounded per charge, so the
    owner's share of every charge adds up to the daily and monthly totals exactly; a charge that was not
    collected has no fee and no share (null).
#}
with contract_charges as (

    select * from {{ ref('stg_marketplace__contract_charges') }}

),

contracts as (

    select * from {{ ref('stg_marketplace__contracts') }}

),

listings as (

    select * from {{ ref('stg_marketplace__listings') }}

),

stripe_charges as (

    select * from {{ ref('fct_charges') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

converted as (

    select
        contract_charges.contract_charge_id,
        contract_charges.contract_id,
        contract_charges.hirer_id,
        contracts.listing_id,
        listings.owner_id,
        contract_charges.charge_type,
        contract_charges.charge_status,
        contract_charges.charge_status = 'succeeded' as is_collected,
        contract_charges.currency,
        {{ kpi_layer.to_major_units('contract_charges.charge_amount', 'contract_charges.currency') }} as amount,
        {{ kpi_layer.to_usd(
            'contract_charges.charge_amount', 'fx_rates.usd_per_unit', 'contract_charges.currency'
        ) }} as amount_usd,
        stripe_charges.charge_id as stripe_charge_id,
        -- a collected charge Stripe has not (yet) synced has no known fee: null, not a made-up zero
        stripe_charges.fee_amount_usd as processing_fee_usd,
        {{ kpi_layer.as_amount('coalesce(stripe_charges.refunded_amount_usd, 0)') }} as refunded_amount_usd,
        stripe_charges.first_refunded_at,
        contract_charges.period_start_at,
        contract_charges.period_end_at,
        contract_charges.charged_at,
        cast(contract_charges.charged_at as date) as charge_date
    from contract_charges
    left join contracts
        on contract_charges.contract_id = contracts.contract_id
    left join listings
        on contracts.listing_id = listings.listing_id
    left join stripe_charges
        on contract_charges.stripe_charge_id = stripe_charges.charge_id
    left join fx_rates
        on
            contract_charges.currency = fx_rates.currency
            and cast({{ dbt.date_trunc('month', 'contract_charges.charged_at') }} as date) = fx_rates.month_start_date

),

split as (

    select
        *,
        -- the cast outside the case: PostgreSQL drops a numeric's scale through a case expression
        {{ kpi_layer.as_amount('case when is_collected then amount_usd * ' ~ var('marketplace_take_rate') ~ ' end') }}
            as platform_fee_usd
    from converted

),

final as (

    select
        contract_charge_id,
        contract_id,
        hirer_id,
        listing_id,
        owner_id,
        charge_type,
        charge_status,
        is_collected,
        currency,
        amount,
        amount_usd,
        platform_fee_usd,
        processing_fee_usd,
        {{ kpi_layer.as_amount(
            'case when is_collected then amount_usd - platform_fee_usd - coalesce(processing_fee_usd, 0) end'
        ) }} as owner_share_usd,
        stripe_charge_id,
        refunded_amount_usd,
        first_refunded_at,
        period_start_at,
        period_end_at,
        charged_at,
        charge_date
    from split

)

select * from final
