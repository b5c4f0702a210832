{#
    Optional source tables. A loader lands a table only once it has rows to land: the Fivetran Stripe connector
    creates coupon, discount, dispute, payout, refund and transfer only after the account used the feature. A
    base model reads its raw table through

        select * from {{ kpi_layer.source_relation('stripe', 'coupon') }}

    which is the source itself when the table exists. When it does not:
      - an optional table (config.meta.optional in the sources YAML) reads as empty: a zero-row stand-in with
        the contract's columns and types, so staging, marts and tests build and the KPIs built on it are zero;
      - a required table stops the model with a message naming the table, where it was looked for and the vars
        that point the family elsewhere or switch it off, never a raw catalog error.
    At parse time, and outside run/build (a lint or a compile before the first load), the source is rendered
    as is, so the SQL reads like the full contract.
#}
{% macro source_relation(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- unit tests hand the model their fixture instead of a relation -#}
    {%- if not execute or flags.WHICH not in ('run', 'build') or relation is string or this is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if kpi_layer.relation_exists(relation) -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- set meta = (node.config.meta if node and node.config.meta else node.meta) if node else {} -%}
    {%- if meta and meta.get('optional') -%}
        {%- set columns = [] -%}
        {%- for column in node.columns.values() -%}
            {%- do columns.append('cast(null as ' ~ kpi_layer.source_column_type(column.data_type or 'varchar')
                ~ ') as ' ~ adapter.quote(column.name)) -%}
        {%- endfor -%}
        {{ log('kpi_layer: optional source table ' ~ source_name ~ '.' ~ table_name ~ ' is not in '
            ~ relation.database ~ '.' ~ relation.schema ~ ': read as empty', info=true) }}
        {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as missing_' ~ table_name) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        'kpi_layer: the ' ~ source_name ~ ' table "' ~ table_name ~ '" was not found in '
        ~ relation.database ~ '.' ~ relation.schema ~ ' (a required table of the ' ~ source_name ~ ' family). '
        ~ 'Point the family at the schema your loader writes with the vars ' ~ source_name ~ '_schema / '
        ~ source_name ~ '_database, or switch the family off with using_' ~ source_name ~ ': false. '
        ~ '`python -m kpi_layer.doctor` lists every table the enabled families need.'
    ) }}
{%- endmacro %}


{# True when the relation exists in the warehouse (looked up once per model and relation). #}
{% macro relation_exists(relation) -%}
    {%- set found = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {{ return(found is not none) }}
{%- endmacro %}


{# A relation to count rows of in a test: the source, or an empty stand-in when an optional table is absent. #}
{% macro relation_or_empty(relation) -%}
    {%- if execute and not kpi_layer.relation_exists(relation) -%}
        {{ return('(select 1 as present where 1 = 0) as missing_relation') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
