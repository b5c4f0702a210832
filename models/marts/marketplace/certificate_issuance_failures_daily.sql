{#
    certificate_issuance_failures, one row per day from the first attempt to the as-of date: failed TLS
    certificate issuance attempts (every attempt counts, so a domain retried three times fails three times:
    each failure is load on the ACME provider and a domain left without a valid certificate meanwhile).
#}
with attempts as (

    select * from {{ ref('stg_marketplace__certificate_issuance_attempts') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

daily as (

    select
        cast(attempted_at as date) as date_day,
        count(*) as certificate_issuance_attempts,
        sum(case when attempt_status = 'failed' then 1 else 0 end) as certificate_issuance_failures,
        count(distinct case when attempt_status = 'failed' then domain_id end) as domains_with_failures
    from attempts
    group by 1

),

days as (

    select calendar.date_day
    from calendar
    where
        calendar.date_day >= (select min(daily.date_day) from daily)
        and calendar.date_day <= {{ kpi_layer.as_of_date() }}

),

final as (

    select
        days.date_day,
        coalesce(daily.certificate_issuance_attempts, 0) as certificate_issuance_attempts,
        coalesce(daily.certificate_issuance_failures, 0) as certificate_issuance_failures,
        coalesce(daily.domains_with_failures, 0) as domains_with_failures
    from days
    left join daily
        on days.date_day = daily.date_day

)

select * from final
