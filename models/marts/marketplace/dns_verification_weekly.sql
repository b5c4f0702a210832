{#
    dns_verification_minutes_p50 and _p95 per week: continuous (interpolated) percentiles of verified_at -
    created_at over the domains verified in the week, through the dispatch macro kpi_layer.percentile_cont.
    DuckDB and PostgreSQL interpolate with different rounding in the last bits of a double (91 comes out as
    90.99999999999999 and 90.99999999999997), so the percentiles are cast to numeric(28,6): both warehouses
    then give the same digits. A domain never verified has no duration and is not in any week. The weeks
    run from the first verification to the as-of date; one without verifications has no percentiles.
#}
with domains as (

    select * from {{ ref('int_domain_verifications_timed') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

verified as (

    select
        calendar.week_start_date,
        domains.verification_minutes
    from domains
    inner join calendar
        on domains.verified_date = calendar.date_day
    where domains.verification_minutes is not null

),

weeks as (

    select distinct calendar.week_start_date
    from calendar
    where
        calendar.date_day >= (select min(domains.verified_date) from domains)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

percentiles as (

    select
        week_start_date,
        count(*) as domains_verified,
        cast({{ kpi_layer.percentile_cont('verification_minutes', 0.5) }} as {{ dbt.type_numeric() }})
            as dns_verification_minutes_p50,
        cast({{ kpi_layer.percentile_cont('verification_minutes', 0.95) }} as {{ dbt.type_numeric() }})
            as dns_verification_minutes_p95
    from verified
    group by 1

),

final as (

    select
        weeks.week_start_date,
        coalesce(percentiles.domains_verified, 0) as domains_verified,
        percentiles.dns_verification_minutes_p50,
        {{ kpi_layer.alert_level('dns_verification_minutes_p50', 'percentiles.dns_verification_minutes_p50') }}
            as dns_verification_minutes_p50_status,
        percentiles.dns_verification_minutes_p95,
        {{ kpi_layer.alert_level('dns_verification_minutes_p95', 'percentiles.dns_verification_minutes_p95') }}
            as dns_verification_minutes_p95_status
    from weeks
    left join percentiles
        on weeks.week_start_date = percentiles.week_start_date

)

select * from final
