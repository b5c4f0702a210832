{#
    Every implemented KPI in long form: one row per KPI (or part) per grain per period, the value read from
    the mart that defines it. Which mart column holds which KPI is listed once, in
    kpi_layer.scorecard_sources(); values are read, never recomputed, so the scorecard equals the marts.
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
    {% endfor %}

)

select * from kpi_values
