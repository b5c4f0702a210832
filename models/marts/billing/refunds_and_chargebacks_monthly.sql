{#
    refunds_and_chargebacks: money given back per month and app. A refund counts in the month it was made
    and a dispute in the month it was opened, not in the month of the charge, so a closed month's figures do
    not change when an old charge is refunded later. Shares are of the same month's gross successful charges.
#}
with charges as (

    select * from {{ ref('fct_charges') }}

),

refunds as (

    select * from {{ ref('int_refunds_converted') }}

),

disputes as (

    select * from {{ ref('int_disputes_converted') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

gross_charges as (

    select
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start_date,
        coalesce(app_name, 'unattributed') as app_name,
        count(*) as successful_charge_count,
        sum(amount_usd) as gross_charges_usd
    from charges
    where is_successful
    group by 1, 2

),

refunds_monthly as (

    select
        refunds.month_start_date,
        coalesce(charges.app_name, 'unattributed') as app_name,
        count(*) as refund_count,
        sum(refunds.amount_usd) as refunded_amount_usd
    from refunds
    left join charges
        on refunds.charge_id = charges.charge_id
    group by 1, 2

),

disputes_monthly as (

    select
        disputes.month_start_date,
        coalesce(charges.app_name, 'unattributed') as app_name,
        count(*) as dispute_count,
        sum(disputes.amount_usd) as disputed_amount_usd
    from disputes
    left join charges
        on disputes.charge_id = charges.charge_id
    group by 1, 2

),

months as (

    select distinct calendar.month_start_date
    from calendar
    where
        calendar.month_start_date >= (select min(gross_charges.month_start_date) from gross_charges)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

apps as (

    select app_name from gross_charges
    union
    select app_name from refunds_monthly
    union
    select app_name from disputes_monthly

),

combined as (

    select
        months.month_start_date,
        apps.app_name,
        coalesce(gross_charges.successful_charge_count, 0) as successful_charge_count,
        coalesce(gross_charges.gross_charges_usd, 0) as gross_charges_usd,
        coalesce(refunds_monthly.refund_count, 0) as refund_count,
        coalesce(refunds_monthly.refunded_amount_usd, 0) as refunded_amount_usd,
        coalesce(disputes_monthly.dispute_count, 0) as dispute_count,
        coalesce(disputes_monthly.disputed_amount_usd, 0) as disputed_amount_usd
    from months
    cross join apps
    left join gross_charges
        on
            months.month_start_date = gross_charges.month_start_date
            and apps.app_name = gross_charges.app_name
    left join refunds_monthly
        on
            months.month_start_date = refunds_monthly.month_start_date
            and apps.app_name = refunds_monthly.app_name
    left join disputes_monthly
        on
            months.month_start_date = disputes_monthly.month_start_date
            and apps.app_name = disputes_monthly.app_name

),

final as (

    select
        month_start_date,
        app_name,
        successful_charge_count,
        {{ kpi_layer.as_amount('gross_charges_usd') }} as gross_charges_usd,
        refund_count,
        {{ kpi_layer.as_amount('refunded_amount_usd') }} as refunded_amount_usd,
        dispute_count,
        {{ kpi_layer.as_amount('disputed_amount_usd') }} as disputed_amount_usd,
        {{ kpi_layer.as_amount('refunded_amount_usd + disputed_amount_usd') }} as refunds_and_chargebacks_usd,
        {{ kpi_layer.safe_divide('refunded_amount_usd', 'gross_charges_usd') }} as refund_share,
        {{ kpi_layer.safe_divide('disputed_amount_usd', 'gross_charges_usd') }} as chargeback_share,
        {{ kpi_layer.safe_divide('refunded_amount_usd + disputed_amount_usd', 'gross_charges_usd') }}
            as refunds_and_chargebacks_share
    from combined

)

select * from final
