{#-
    Child rows staging kept whose parent is not in staging (kpi_layer.parent_relations): one select per
    relation, over the enabled families.
-#}
{%- set relations = [] -%}
{%- for relation in kpi_layer.parent_relations() if kpi_layer.staging_model_enabled(relation[0]) -%}
    {%- do relations.append(relation) -%}
{%- endfor -%}

with orphans as (

    {%- for child_model, child_column, parent_model, parent_column, condition in relations %}

    select
        '{{ child_model }}' as child_model,
        '{{ child_column }}' as child_column,
        '{{ parent_model }}' as parent_model,
        count(*) as child_rows,
        sum(case when parents.parent_key is null then 1 else 0 end) as orphan_rows,
        min(case when parents.parent_key is null then cast(children.{{ child_column }} as {{ dbt.type_string() }}) end)
            as example_orphan_key
    from {{ ref(child_model) }} as children
    left join (
        select distinct {{ parent_column }} as parent_key
        from {{ ref(parent_model) }}
    ) as parents
        on children.{{ child_column }} = parents.parent_key
    where
        children.{{ child_column }} is not null
        {%- if condition %}
        and {{ condition }}
        {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as child_model,
        cast(null as {{ dbt.type_string() }}) as child_column,
        cast(null as {{ dbt.type_string() }}) as parent_model,
        0 as child_rows,
        0 as orphan_rows,
        cast(null as {{ dbt.type_string() }}) as example_orphan_key
    where 1 = 0
    {%- endfor %}

),

final as (

    select
        child_model,
        child_column,
        parent_model,
        cast(child_rows as {{ dbt.type_bigint() }}) as child_rows,
        cast(coalesce(orphan_rows, 0) as {{ dbt.type_bigint() }}) as orphan_rows,
        example_orphan_key
    from orphans

)

select * from final
