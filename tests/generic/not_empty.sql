{#
    The model has at least one row. Used at warn level on the staging models of required raw tables: an empty
    table (a loader that stopped, a filter that matches nothing) is reported as empty, by name, instead of only
    through its effects (every child row an orphan, every KPI zero).
#}
{% test not_empty(model) %}

select count(*) as row_count
from {{ model }}
having count(*) = 0

{% endtest %}
