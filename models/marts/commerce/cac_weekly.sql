{{ config(enabled=kpi_layer.using_families(['storefront', 'stripe'])) }}

{#
    cac per ISO week (Monday start) for the storefront, and seed 001's alert "CAC spike: > 50% increase week
    over week" as cac_wow_growth = (cac - previous week's cac) / previous week's cac, rule cac_wow_growth of
    var kpi_alert_rules. Growth compares complete weeks only: a week cut by the first data day or the as-of
    date has fewer days of spend and customers, and its ratio against a full week would be noise.
#}
with cac_daily as (

    select * from {{ ref('cac_daily') }}

),

weekly as (

    select
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        count(*) as days_in_data,
        sum(acquisition_spend_usd) as acquisition_spend_usd,
        sum(new_paying_customers) as new_paying_customers
    from cac_daily
    group by 1

),

with_cac as (

    select
        week_start_date,
        days_in_data = 7 as is_complete_week,
        {{ kpi_layer.as_amount('acquisition_spend_usd') }} as acquisition_spend_usd,
        new_paying_customers,
        {{ kpi_layer.cac('acquisition_spend_usd', 'new_paying_customers') }} as cac
    from weekly

),

with_previous as (

    select
        *,
        lag(cac) over (order by week_start_date) as lagged_cac,
        lag(is_complete_week) over (order by week_start_date) as lagged_is_complete_week,
        lag(week_start_date) over (order by week_start_date) as lagged_week_start_date
    from with_cac

),

compared as (

    select
        week_start_date,
        is_complete_week,
        acquisition_spend_usd,
        new_paying_customers,
        cac,
        case
            when
                is_complete_week
                and lagged_is_complete_week
                and lagged_week_start_date = cast({{ dbt.dateadd('day', -7, 'week_start_date') }} as date)
                then lagged_cac
        end as previous_week_cac
    from with_previous

),

final as (

    select
        week_start_date,
        is_complete_week,
        acquisition_spend_usd,
        new_paying_customers,
        cac,
        previous_week_cac,
        {{ kpi_layer.safe_divide('cac - previous_week_cac', 'previous_week_cac') }} as cac_wow_growth,
        {{ kpi_layer.alert_level(
            'cac_wow_growth',
            numerator='cac - previous_week_cac',
            denominator='previous_week_cac',
        ) }}
            as cac_wow_growth_status
    from compared

)

select * from final
