{#
    One row per alert: a kpi_scorecard value whose alert_severity (its rule in var kpi_alert_rules, judged by
    kpi_layer.alert_level, the macro the marts' alert columns and the kpi_alert threshold tests use) is warn or
    critical. The scorecard is company level, so an alert here is the company's; a threshold test on a sliced
    mart (failed payments per app) can list breaches of a single app that the company figure does not show.
#}
with scorecard as (

    select * from {{ ref('kpi_scorecard') }}

),

final as (

    select
        kpi_id,
        grain,
        period_start_date,
        kpi_value,
        unit,
        alert_severity as severity,
        case alert_severity
            when 'critical' then critical_threshold
            else warn_threshold
        end as threshold
    from scorecard
    where alert_severity in ('warn', 'critical')

)

select * from final
