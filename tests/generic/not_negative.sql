{# Amounts and counts that cannot be negative. Nulls pass (not_null is its own test). #}
{% test not_negative(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
