{#
    The wall chart: every implemented KPI in long form (int_kpi_values), one row per KPI per grain per period,
    with its target (seed kpi_targets) and a status.
#}
with targets as (

    select * from {{ ref('kpi_targets') }}

),

kpi_values as (

    select * from {{ ref('int_kpi_values') }}

),

final as (

    select
        kpi_values.kpi_id,
        kpi_values.grain,
        kpi_values.period_start_date,
        kpi_values.kpi_value,
        kpi_values.unit,
        targets.comparison as target_comparison,
        targets.target_value,
        targets.target_upper_value,
        targets.green_above,
        targets.yellow_from,
        case
            when targets.kpi_id is null then 'no-target'
            when kpi_values.kpi_value is null then 'no-data'
            when targets.comparison = 'zones'
                then
                    case
                        when kpi_values.kpi_value > targets.green_above then 'green'
                        when kpi_values.kpi_value >= targets.yellow_from then 'yellow'
                        else 'red'
                    end
            when targets.comparison = '>=' and kpi_values.kpi_value >= targets.target_value then 'green'
            when targets.comparison = '>' and kpi_values.kpi_value > targets.target_value then 'green'
            when targets.comparison = '<=' and kpi_values.kpi_value <= targets.target_value then 'green'
            when targets.comparison = '<' and kpi_values.kpi_value < targets.target_value then 'green'
            when
                targets.comparison = 'between'
                and kpi_values.kpi_value between targets.target_value and targets.target_upper_value
                then 'green'
            else 'red'
        end as status
    from kpi_values
    left join targets
        on
            kpi_values.kpi_id = targets.kpi_id
            and kpi_values.grain = targets.grain

)

select * from final
