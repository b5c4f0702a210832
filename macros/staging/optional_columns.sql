{#
    Optional source columns. A loader's tables do not always carry every column: the Fivetran Stripe connector,
    for one, lands a column only once the account has used the feature behind it (Connect accounts, exchange
    rates, payouts, coupons). A base model reads such a column through

        {{ kpi_layer.source_column(source('stripe', 'charge'), 'connected_account_id', 'varchar') }}

    which renders the column's name when the relation has it and `cast(null as <type>)` when it does not, so
    staging builds on a sync without it. The relation's columns are looked up once per model
    (adapter.get_columns_in_relation) and kept in the model's result cache (store_result / load_result).
    At parse time, and when the relation cannot be inspected (it does not exist yet: a lint or a compile
    before the first load), the column's name is rendered: the SQL then reads like the full contract.
#}

{% macro source_column(relation, column_name, data_type) -%}
    {%- set available = kpi_layer.source_column_names(relation) -%}
    {%- if available is none or (column_name | lower) in available -%}
        {{ column_name }}
    {%- else -%}
        cast(null as {{ kpi_layer.source_column_type(data_type) }})
    {%- endif -%}
{%- endmacro %}


{# The lower-cased column names of a relation, or none when they cannot be known (parse time, missing relation). #}
{% macro source_column_names(relation) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {#- A unit test hands the model a fixture named after the source, typed from the real table: look up the
        real table's columns (where the sources YAML puts it), so the SQL asks only for what the fixture has. -#}
    {%- set model_sources = model.get('sources', []) if model.get is defined else [] -%}
    {%- if this is none and model_sources -%}
        {%- set family, table_name = model_sources[0][0], model_sources[0][1] -%}
        {%- set relation = api.Relation.create(
            database=var(family ~ '_database', none) or target.database,
            schema=var(family ~ '_schema', none) or (target.schema ~ '_raw_' ~ family),
            identifier=table_name,
        ) -%}
    {%- endif -%}
    {%- set cache_key = 'kpi_layer_source_columns:' ~ relation -%}
    {%- set cached = load_result(cache_key) -%}
    {%- if cached is not none -%}
        {%- set names = cached.response -%}
    {%- else -%}
        {%- set names = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {#- load_result hands a stored result out once: store it again for the next column. -#}
    {%- do store_result(cache_key, response=names) -%}
    {{ return(names if names | length > 0 else none) }}
{%- endmacro %}


{# The contract's data types as the target's own type names. #}
{% macro source_column_type(data_type) -%}
    {%- set t = data_type | lower | trim -%}
    {%- if t in ('varchar', 'text', 'string') -%}
        {{ dbt.type_string() }}
    {%- elif t == 'timestamp' -%}
        {{ dbt.type_timestamp() }}
    {%- elif t in ('bigint', 'integer', 'int') -%}
        {{ dbt.type_bigint() }}
    {%- elif t == 'boolean' -%}
        {{ dbt.type_boolean() }}
    {%- else -%}
        {{ data_type }}
    {%- endif -%}
{%- endmacro %}
