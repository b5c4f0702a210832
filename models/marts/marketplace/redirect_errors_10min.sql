{#
    redirect_error_rate, one row per 10-minute window (UTC, aligned on :00, :10, ... :50) with at least one
    redirect request: the seed's target is set per 10-minute window, so an analyst sees which windows
    breached. Windows without requests have no rate and no row. An error is a request answered 404 (the
    edge's route lookup failed) or 5xx; every request counts, valid or invalid traffic alike, because the
    redirector's health does not depend on who asked.
#}
with clicks as (

    select * from {{ ref('fct_clicks') }}

),

windowed as (

    select
        {#- minutes since midnight, floored to a multiple of 10: integer arithmetic, the same on every warehouse -#}
        {{ dbt.dateadd(
            'minute',
            'cast(floor(' ~ dbt.datediff(dbt.date_trunc('day', 'clicked_at'), 'clicked_at', 'minute') ~ ' / 10) * 10 as integer)',
            dbt.date_trunc('day', 'clicked_at'),
        ) }} as window_start_at,
        is_redirect_error
    from clicks

),

final as (

    select
        cast(window_start_at as {{ dbt.type_timestamp() }}) as window_start_at,
        cast(window_start_at as date) as date_day,
        count(*) as redirect_requests,
        sum(case when is_redirect_error then 1 else 0 end) as redirect_errors,
        {{ kpi_layer.safe_divide('sum(case when is_redirect_error then 1 else 0 end)', 'count(*)') }}
            as redirect_error_rate,
        {{ kpi_layer.alert_level(
            'redirect_error_rate',
            numerator='sum(case when is_redirect_error then 1 else 0 end)',
            denominator='count(*)',
        ) }}
            as redirect_error_rate_status
    from windowed
    group by 1, 2

)

select * from final
