{#
    Every implemented KPI in long form: one row per KPI (or part) per grain per period, the value read from
    the mart that defines it. Which mart column holds which KPI is listed once, in
    kpi_layer.scorecard_sources(); values are read, never recomputed, so the scorecard equals the marts.
    A source family switched off takes its KPIs off the list.
#}
{%- set sources = kpi_layer.scorecard_sources() -%}

with kpi_values as (

    {% for source in sources %}
        select
            '{{ source.kpi_id }}' as kpi_id,
            '{{ source.grain }}' as grain,
            cast({{ source.period }} as date) as period_start_date,
            cast({{ source.value }} as {{ kpi_layer.type_double() }}) as kpi_value,
            '{{ source.unit }}' as unit
        from {{ ref(source.model) }}
        {%- if source.get('group_by') %}
            group by {{ source.period }}
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {% else %}
        -- no KPI mart is enabled (every family with marts switched off): an empty scorecard, not an error
        select
            cast(null as {{ dbt.type_string() }}) as kpi_id,
            cast(null as {{ dbt.type_string() }}) as grain,
            cast(null as date) as period_start_date,
            cast(null as {{ kpi_layer.type_double() }}) as kpi_value,
            cast(null as {{ dbt.type_string() }}) as unit
        where 1 = 0
    {% endfor %}

)

select * from kpi_values
