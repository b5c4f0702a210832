{#
    An aggregate of this model equals an aggregate of another, period by period (grain: day, week, month)
    and optionally by dimensions, within tolerances. A period breaches a tolerance when its difference exceeds
    BOTH the absolute and the relative tolerance (relative to the compared value), so small periods are not
    flagged for cents and large ones not for a rounding share.

    Two levels: above warn_* the test warns, above error_* it fails. It returns the offending periods with
    both values, the difference and the level reached (1 warn, 2 error); they are always stored (store_failures), in a table the
    failure message names.

        data_tests:
          - kpi_layer.reconciles_with:
              arguments:
                measure: amount
                date_column: created_at
                compare_model: ref('stg_stripe__balance_transaction')
                compare_measure: amount
                compare_date_column: created_at
                grain: month
                dimensions: [currency]
                warn_abs: 0
                warn_rel: "{{ var('reconciliation_warn_rel', 0.005) }}"
                error_abs: 0
                error_rel: "{{ var('reconciliation_error_rel', 0.02) }}"
#}
{% test reconciles_with(
    model,
    measure,
    date_column,
    compare_model,
    compare_measure=none,
    compare_date_column=none,
    grain='month',
    dimensions=[],
    compare_dimensions=none,
    where=none,
    compare_where=none,
    warn_abs=0,
    warn_rel=0,
    error_abs=0,
    error_rel=0
) %}
{#- A failing reconciliation keeps its periods: the failure message names the table they are stored in. It
    runs after every model is built (tag reconciliation, the last phase of make build), so a disagreement
    between two systems reports without leaving the marts downstream of it unbuilt. -#}
{{ config(store_failures=true, tags=['reconciliation']) }}

{{ config(fail_calc='coalesce(max(breach_level), 0)', warn_if='>= 1', error_if='>= 2') }}

{%- set compare_measure = compare_measure or measure -%}
{%- set compare_date_column = compare_date_column or date_column -%}
{%- set compare_dimensions = compare_dimensions or dimensions -%}

with model_side as (

    select
        cast({{ dbt.date_trunc(grain, date_column) }} as date) as period,
        {% for dim in dimensions %}{{ dim }} as dim_{{ loop.index }},
        {% endfor -%}
        sum({{ measure }}) as model_value
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}
    group by {% for i in range(dimensions | length + 1) %}{{ i + 1 }}{% if not loop.last %}, {% endif %}{% endfor %}

),

compare_side as (

    select
        cast({{ dbt.date_trunc(grain, compare_date_column) }} as date) as period,
        {% for dim in compare_dimensions %}{{ dim }} as dim_{{ loop.index }},
        {% endfor -%}
        sum({{ compare_measure }}) as compare_value
    from {{ compare_model }}
    {% if compare_where %}where {{ compare_where }}{% endif %}
    group by {% for i in range(compare_dimensions | length + 1) %}{{ i + 1 }}{% if not loop.last %}, {% endif %}{% endfor %}

),

joined as (

    select
        coalesce(model_side.period, compare_side.period) as period,
        {% for dim in dimensions -%}
        coalesce(model_side.dim_{{ loop.index }}, compare_side.dim_{{ loop.index }}) as {{ dim | replace('.', '_') }},
        {% endfor -%}
        coalesce(model_side.model_value, 0) as model_value,
        coalesce(compare_side.compare_value, 0) as compare_value
    from model_side
    full outer join compare_side
        on model_side.period = compare_side.period
        {% for dim in dimensions %}and model_side.dim_{{ loop.index }} is not distinct from compare_side.dim_{{ loop.index }}
        {% endfor %}

),

measured as (

    select
        *,
        abs(model_value - compare_value) as abs_difference,
        case
            when model_value = compare_value then 0
            when compare_value = 0 then null
            else abs(model_value - compare_value) / abs(cast(compare_value as {{ kpi_layer.type_double() }}))
        end as rel_difference
    from joined

),

judged as (

    select
        *,
        case
            when abs_difference > {{ error_abs }} and coalesce(rel_difference > {{ error_rel }}, true) then 2
            when abs_difference > {{ warn_abs }} and coalesce(rel_difference > {{ warn_rel }}, true) then 1
            else 0
        end as breach_level
    from measured

)

select *
from judged
where breach_level > 0

{% endtest %}
