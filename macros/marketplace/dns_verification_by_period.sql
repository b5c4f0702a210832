{#
    The body of dns_verification_weekly and dns_verification_monthly: one definition, by period (grain 'week' or 'month', the
    period column `<grain>_start_date` of dim_dates). Each model states its own grain in its header.
#}
{% macro dns_verification_by_period(grain) %}
with domains as (

    select * from {{ ref('int_domain_verifications_timed') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

verified as (

    select
        calendar.{{ grain }}_start_date,
        domains.verification_minutes
    from domains
    inner join calendar
        on domains.verified_date = calendar.date_day
    where domains.verification_minutes is not null

),

periods as (

    select distinct calendar.{{ grain }}_start_date
    from calendar
    where
        calendar.date_day >= (select min(domains.verified_date) from domains)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

percentiles as (

    select
        {{ grain }}_start_date,
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
        periods.{{ grain }}_start_date,
        coalesce(percentiles.domains_verified, 0) as domains_verified,
        percentiles.dns_verification_minutes_p50,
        {{ kpi_layer.alert_level('dns_verification_minutes_p50', 'percentiles.dns_verification_minutes_p50') }}
            as dns_verification_minutes_p50_status,
        percentiles.dns_verification_minutes_p95,
        {{ kpi_layer.alert_level('dns_verification_minutes_p95', 'percentiles.dns_verification_minutes_p95') }}
            as dns_verification_minutes_p95_status
    from periods
    left join percentiles
        on periods.{{ grain }}_start_date = percentiles.{{ grain }}_start_date

)

select * from final
{% endmacro %}
