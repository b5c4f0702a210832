{#-
    Category values staging kept but does not know (kpi_layer.category_domains): one select per staging model
    and column, over the enabled families.
-#}
{%- set checks = [] -%}
{%- for model_name, columns in kpi_layer.category_domains().items()
    if kpi_layer.staging_model_enabled(model_name) -%}
    {%- for column_name, known in columns.items() -%}
        {%- do checks.append((model_name, column_name, known)) -%}
    {%- endfor -%}
{%- endfor -%}

with unknown_values as (

    {%- for model_name, column_name, known in checks %}

    select
        '{{ model_name }}' as model_name,
        '{{ column_name }}' as column_name,
        cast({{ column_name }} as {{ dbt.type_string() }}) as unknown_value,
        count(*) as row_count
    from {{ ref(model_name) }}
    where
        {{ column_name }} is not null
        and cast({{ column_name }} as {{ dbt.type_string() }}) not in (
            {%- for value in known %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        )
    group by {{ column_name }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as unknown_value,
        cast(0 as {{ dbt.type_bigint() }}) as row_count
    where 1 = 0
    {%- endfor %}

),

final as (

    select
        model_name,
        column_name,
        unknown_value,
        cast(row_count as {{ dbt.type_bigint() }}) as row_count
    from unknown_values

)

select * from final
