{#
    Source families (stripe, marketplace, storefront, tutoring, product, ops) are switched by the vars
    using_<family> (dbt_project.yml). A folder's models follow their family through dbt_project.yml; a model that
    needs a second family says so in its own config:

        {{ config(enabled=kpi_layer.using_families(['storefront', 'stripe'])) }}

    and a model that only joins an optional family tests var('using_<family>') around that join.
#}
{% macro using_families(families) -%}
    {%- for family in families -%}
        {%- if not var('using_' ~ family, true) -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}


{# True when the family of a staging model (stg_<family>__<table>) is switched on. #}
{% macro staging_model_enabled(model_name) -%}
    {{ return(var('using_' ~ model_name.split('__')[0][4:], true)) }}
{%- endmacro %}
