{#
    owner_activation_rate and hirer_activation_rate by signup cohort: of the owners (hirers) who signed up in
    a month, the share activated by the as-of date. An owner is activated by connecting Stripe (Connect
    onboarding done); a hirer by a first checkout (the listing event that starts a hire). A cohort keeps
    maturing as later activations arrive, and no activation after the as-of date is counted, so a rebuild as
    of the same date gives the same rates.
#}
with owners as (

    select * from {{ ref('stg_marketplace__owners') }}

),

hirers as (

    select * from {{ ref('stg_marketplace__hirers') }}

),

listing_events as (

    select * from {{ ref('stg_marketplace__listing_events') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

first_checkouts as (

    select
        hirer_id,
        min(occurred_at) as first_checkout_at
    from listing_events
    where
        event_type = 'checkout'
        and hirer_id is not null
    group by 1

),

owner_cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as cohort_month_start_date,
        count(*) as owners_signed_up,
        sum(
            case when cast(stripe_connected_at as date) <= {{ kpi_layer.as_of_date() }} then 1 else 0 end
        ) as owners_connected_stripe
    from owners
    where cast(created_at as date) <= {{ kpi_layer.as_of_date() }}
    group by 1

),

hirer_cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'hirers.created_at') }} as date) as cohort_month_start_date,
        count(*) as hirers_signed_up,
        sum(
            case
                when cast(first_checkouts.first_checkout_at as date) <= {{ kpi_layer.as_of_date() }} then 1 else 0
            end
        ) as hirers_activated
    from hirers
    left join first_checkouts
        on hirers.hirer_id = first_checkouts.hirer_id
    where cast(hirers.created_at as date) <= {{ kpi_layer.as_of_date() }}
    group by 1

),

signup_months as (

    select owner_cohorts.cohort_month_start_date from owner_cohorts
    union all
    select hirer_cohorts.cohort_month_start_date from hirer_cohorts

),

cohort_months as (

    select distinct calendar.month_start_date as cohort_month_start_date
    from calendar
    where
        calendar.date_day >= (select min(signup_months.cohort_month_start_date) from signup_months)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        cohort_months.cohort_month_start_date,
        coalesce(owner_cohorts.owners_signed_up, 0) as owners_signed_up,
        coalesce(owner_cohorts.owners_connected_stripe, 0) as owners_connected_stripe,
        {{ kpi_layer.safe_divide('owner_cohorts.owners_connected_stripe', 'owner_cohorts.owners_signed_up') }}
            as owner_activation_rate,
        coalesce(hirer_cohorts.hirers_signed_up, 0) as hirers_signed_up,
        coalesce(hirer_cohorts.hirers_activated, 0) as hirers_activated,
        {{ kpi_layer.safe_divide('hirer_cohorts.hirers_activated', 'hirer_cohorts.hirers_signed_up') }}
            as hirer_activation_rate
    from cohort_months
    left join owner_cohorts
        on cohort_months.cohort_month_start_date = owner_cohorts.cohort_month_start_date
    left join hirer_cohorts
        on cohort_months.cohort_month_start_date = hirer_cohorts.cohort_month_start_date

)

select * from final
