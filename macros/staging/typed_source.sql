{#
    The typed read of one raw table: the staging contract's first step (docs/decisions.md, "Bad input").

    A base model starts with
        with source as (
            {{ kpi_layer.typed_source('storefront', 'orders') }}
        ),
    which selects every column the sources YAML declares for the table, typed as declared, plus
    _dq_contract_reason, which flag_and_dedupe turns into the row's quarantine reason:

      - Schema drift. A declared column the table lacks is read as null when it is optional
        (config.meta.optional) and stops the model with a message naming the table, the column and the fix
        when it is required. Columns the YAML does not declare are not read.
      - Malformed values -> 'malformed_value'. Each column is coerced from whatever type the loader gave it to
        the declared type, or to the type the model asks for in parse_as (text the app writes, such as ISO
        timestamps: typed_source('ops', 'deployments', parse_as={'deployed_at': 'timestamp'})): a value
        that does not parse is null and the row is quarantined, never a cast error. Whole-number columns
        (minor units, counts) never round: '12.50' in a bigint column is malformed, not 13. NaN and
        Infinity are malformed in every numeric column. Text with an offset or a named zone is converted to
        UTC (kpi_layer.to_utc_timestamp); a TIMESTAMPTZ column is converted to UTC explicitly, whatever the
        session's time zone.
      - Implausible values -> 'out_of_range', against the bounds declared once per column as meta.bounds:
            {min: 0, max: 100}  a closed range (percentages, ratings, durations)
            amount              |value| at most var('max_amount_minor_units')
            event_time          from the source's plausible start (var('<source>_plausible_start') or
                                var('plausible_start')) to the source's as-of time, its latest load (the
                                source's loaded_at_field), plus var('clock_skew_hours'): nothing is synced
                                before it happens
            planned_time        from the plausible start to the as-of time plus var('max_planning_days')
                                (scheduled sessions, period ends, trial ends)
    Malformed wins over out of range; a row is checked column by column in the YAML's order.

    An incremental base model names its raw key (incremental_key='click_id', and parents=[...] where a row's
    verdict depends on a parent): an incremental run then reads only its batch (kpi_layer.incremental_batch).
#}

{% macro typed_source(source_name, table_name, parse_as={}, incremental_key=none, parents=[]) -%}
    {%- set relation = kpi_layer.source_relation(source_name, table_name) -%}
    {%- set node = graph.get('sources', {}).get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name)
        if execute else none -%}
    {%- set columns = [] -%}
    {%- if node is not none -%}
        {%- for column in node.columns.values() -%}
            {%- do columns.append({'name': column.name, 'data_type': column.data_type or 'varchar',
                                   'meta': kpi_layer.column_meta(column)}) -%}
        {%- endfor -%}
    {%- elif execute -%}
        {#- A unit test renders the model without the graph: its fixture has the real table's columns and types. -#}
        {%- for column in adapter.get_columns_in_relation(kpi_layer.family_relation(source_name, table_name)) -%}
            {%- do columns.append({'name': column.name, 'data_type': column.dtype, 'meta': {}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if columns | length == 0 or var('lint_stand_ins') -%}
        {#- parse time, a fixture of a table this warehouse does not have, or sqlfluff (which reports on the
            model's own text only: the contract's expansion is not laid out by hand, and parsing it cost half
            of the lint's time): the relation as it is -#}
        select
            {{ relation }}.*,
            cast(null as {{ dbt.type_string() }}) as _dq_contract_reason
        from {{ relation }}
    {%- else -%}
        {%- set actual = kpi_layer.actual_column_types(relation) -%}
        {%- set loaded_at = (node.loaded_at_field or (node.config.get('loaded_at_field') if node.config else none))
            if node is not none else none -%}
        {%- set typed = [] -%}
        {%- set malformed = [] -%}
        {%- set out_of_range = [] -%}
        {%- for column in columns -%}
            {%- set meta = column.meta -%}
            {%- set name = adapter.quote(column.name | lower) -%}
            {%- set raw_name = '_dq_raw_' ~ (column.name | lower) -%}
            {%- set declared = column.data_type | lower -%}
            {%- set wanted = (parse_as.get(column.name | lower) or declared) | lower -%}
            {%- if actual is none -%}
                {#- a unit test's fixture or an empty stand-in: typed as the contract says -#}
                {%- set landed = declared -%}
            {%- elif (column.name | lower) in actual -%}
                {%- set landed = actual[column.name | lower] -%}
            {%- elif meta.get('optional') -%}
                {%- set landed = none -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error(
                    'kpi_layer: the ' ~ source_name ~ ' table "' ~ table_name ~ '" (' ~ relation ~ ') has no column "'
                    ~ column.name ~ '", which staging needs. Rename the column in your loader or a view, or point '
                    ~ 'the family at another schema (vars ' ~ source_name ~ '_schema / ' ~ source_name ~ '_database); '
                    ~ 'switch the family off with using_' ~ source_name ~ ': false. `python -m kpi_layer.doctor` '
                    ~ 'lists every column the enabled families need.'
                ) }}
            {%- endif -%}
            {%- if landed is none -%}
                {%- do typed.append('cast(null as ' ~ kpi_layer.source_column_type(wanted) ~ ') as ' ~ name) -%}
            {%- else -%}
                {%- set parsed = kpi_layer.coerce_column(name, landed, wanted) -%}
                {%- do typed.append(parsed.sql ~ ' as ' ~ name) -%}
                {%- if parsed.fallible -%}
                    {%- do typed.append(name ~ ' as ' ~ raw_name) -%}
                    {%- do malformed.append('(' ~ raw_name ~ ' is not null and ' ~ name ~ ' is null)') -%}
                {%- endif -%}
            {%- endif -%}
            {%- if meta.get('bounds') -%}
                {%- do out_of_range.append(kpi_layer.bounds_violated(name, meta.get('bounds'), source_name, loaded_at, relation)) -%}
            {%- endif -%}
        {%- endfor %}
    select
        {%- for column in columns %}
        {{ adapter.quote(column.name | lower) }},
        {%- endfor %}
        {%- if malformed or out_of_range %}
        case
            {%- if malformed %}
            when {{ malformed | join('\n                or ') }}
                then 'malformed_value'
            {%- endif %}
            {%- if out_of_range %}
            when {{ out_of_range | join('\n                or ') }}
                then 'out_of_range'
            {%- endif %}
        end as _dq_contract_reason
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as _dq_contract_reason
        {%- endif %}
    from (
        select
            {{ typed | join(',\n            ') }}
        {%- if incremental_key and this is not none and is_incremental() %}
        {#- an incremental stream reads only its batch (macros/staging/incremental_batch.sql) #}
        from (
            {{ kpi_layer.incremental_batch(relation, incremental_key, loaded_at, parents) }}
        ) as raw_batch
        {%- else %}
        from {{ relation }}
        {%- endif %}
    ) as typed_rows
    {%- endif -%}
{%- endmacro %}


{# A family's raw table as the sources YAML places it (database and schema vars, else <target schema>_raw_<family>). #}
{% macro family_relation(source_name, table_name) -%}
    {{ return(api.Relation.create(
        database=var(source_name ~ '_database', none) or target.database,
        schema=var(source_name ~ '_schema', none) or (target.schema ~ '_raw_' ~ source_name),
        identifier=table_name,
    )) }}
{%- endmacro %}


{# A source column's meta, wherever the YAML put it (meta: or config: {meta:}). #}
{% macro column_meta(column) -%}
    {%- set meta = {} -%}
    {%- do meta.update(column.meta or {}) -%}
    {%- if column.config and column.config.meta -%}
        {%- do meta.update(column.config.meta) -%}
    {%- endif -%}
    {{ return(meta) }}
{%- endmacro %}


{#
    The lower-cased column names and types of a relation, or none when they cannot be known (a unit test's
    fixture, an empty stand-in for a missing optional table).
#}
{% macro actual_column_types(relation) -%}
    {%- if relation is string or this is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do types.update({column.name | lower: column.dtype | lower}) -%}
    {%- endfor -%}
    {{ return(types if types else none) }}
{%- endmacro %}


{# The family of a warehouse type name. #}
{% macro type_family(type_name) -%}
    {%- set t = type_name | lower | trim -%}
    {%- if t in ('bigint', 'integer', 'int', 'smallint', 'tinyint', 'hugeint', 'int8', 'int4', 'int2', 'ubigint',
                 'uinteger', 'usmallint', 'utinyint', 'long', 'short', 'byte') -%}
        {{ return('integer') }}
    {%- elif t in ('double', 'double precision', 'float', 'float8', 'float4', 'real') -%}
        {{ return('float') }}
    {%- elif t.startswith('decimal') or t.startswith('numeric') -%}
        {{ return('decimal') }}
    {%- elif t in ('timestamp with time zone', 'timestamptz') or t.startswith('timestamp with time zone') -%}
        {{ return('timestamptz') }}
    {%- elif t.startswith('timestamp') or t == 'datetime' -%}
        {{ return('timestamp') }}
    {%- elif t == 'date' -%}
        {{ return('date') }}
    {%- elif t in ('boolean', 'bool') -%}
        {{ return('boolean') }}
    {%- else -%}
        {{ return('text') }}
    {%- endif -%}
{%- endmacro %}


{#
    SQL that reads column `expr`, landed as type `landed`, as type `wanted`; fallible is true when a non-null
    value can come out null (it did not parse), which staging reports as malformed_value.
#}
{# A type's name as the warehouses spell it alike (int8 and bigint, timestamp without time zone and timestamp). #}
{% macro normal_type_name(type_name) -%}
    {%- set t = type_name | lower | trim | replace(', ', ',') -%}
    {%- set aliases = {'int8': 'bigint', 'int4': 'integer', 'int': 'integer', 'bool': 'boolean',
                       'timestamp without time zone': 'timestamp', 'datetime': 'timestamp'} -%}
    {%- set t = aliases.get(t, t) -%}
    {{ return(('decimal' ~ t[7:]) if t.startswith('numeric') else t) }}
{%- endmacro %}


{% macro coerce_column(expr, landed, wanted) -%}
    {%- set have = kpi_layer.type_family(landed) -%}
    {%- set want = kpi_layer.type_family(wanted) -%}
    {%- set target_type = kpi_layer.source_column_type(wanted) -%}
    {%- if want == 'text' -%}
        {{ return({'sql': expr if have == 'text' else 'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', 'fallible': false}) }}
    {%- elif have == want and want in ('integer', 'decimal', 'date', 'boolean', 'timestamp') -%}
        {#- a column already of the contract's type is read as it is: nothing is cast twice -#}
        {%- set same = kpi_layer.normal_type_name(landed) == kpi_layer.normal_type_name(target_type) -%}
        {{ return({'sql': expr if same else 'cast(' ~ expr ~ ' as ' ~ target_type ~ ')', 'fallible': false}) }}
    {%- elif want == 'integer' -%}
        {{ return({'sql': kpi_layer.parse_whole_number(expr, have), 'fallible': true}) }}
    {%- elif want in ('float', 'decimal') -%}
        {{ return({'sql': 'cast(' ~ kpi_layer.parse_finite_number(expr, have) ~ ' as ' ~ target_type ~ ')', 'fallible': true}) }}
    {%- elif want == 'timestamp' -%}
        {%- if have == 'timestamptz' -%}
            {{ return({'sql': kpi_layer.timestamptz_to_utc(expr), 'fallible': false}) }}
        {%- elif have == 'date' -%}
            {{ return({'sql': 'cast(' ~ expr ~ ' as ' ~ dbt.type_timestamp() ~ ')', 'fallible': false}) }}
        {%- elif have == 'integer' -%}
            {{ return({'sql': kpi_layer.epoch_to_timestamp(expr), 'fallible': false}) }}
        {%- else -%}
            {{ return({'sql': kpi_layer.to_utc_timestamp(expr), 'fallible': true}) }}
        {%- endif -%}
    {%- elif want == 'date' -%}
        {%- if have in ('timestamp', 'timestamptz') -%}
            {{ return({'sql': 'cast(' ~ expr ~ ' as date)', 'fallible': false}) }}
        {%- else -%}
            {{ return({'sql': 'cast(' ~ kpi_layer.to_utc_timestamp(expr) ~ ' as date)', 'fallible': true}) }}
        {%- endif -%}
    {%- elif want == 'boolean' -%}
        {%- if have == 'integer' -%}
            {{ return({'sql': '(' ~ expr ~ ' <> 0)', 'fallible': false}) }}
        {%- else -%}
            {{ return({'sql': kpi_layer.try_cast('lower(trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')))', 'boolean'), 'fallible': true}) }}
        {%- endif -%}
    {%- else -%}
        {{ return({'sql': 'cast(' ~ expr ~ ' as ' ~ target_type ~ ')', 'fallible': false}) }}
    {%- endif -%}
{%- endmacro %}


{#
    A whole number (minor units, counts) from any type, never rounded: '12.50', 12.5, '12,50', '', 'N/A', NaN
    and Infinity are null (malformed); '1250', ' 1250 ', 1250.0 and '1.25e3' are 1250.
#}
{% macro parse_whole_number(expr, landed_family) -%}
    {%- set as_decimal -%}
        {%- if landed_family == 'text' -%}
            {{ kpi_layer.try_cast('trim(' ~ expr ~ ')', 'numeric(38, 9)') }}
        {%- elif landed_family == 'float' -%}
            {{ kpi_layer.try_cast(kpi_layer.finite_or_null(expr), 'numeric(38, 9)') }}
        {%- else -%}
            cast({{ expr }} as numeric(38, 9))
        {%- endif -%}
    {%- endset -%}
    case
        when {{ as_decimal }} = floor({{ as_decimal }})
            then cast({{ as_decimal }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}


{# A finite number from any type: text that does not parse, NaN and +/-Infinity are null. #}
{% macro parse_finite_number(expr, landed_family) -%}
    {%- if landed_family == 'text' -%}
        {{ kpi_layer.finite_or_null(kpi_layer.try_cast('trim(' ~ expr ~ ')', kpi_layer.type_double())) }}
    {%- elif landed_family == 'float' -%}
        {{ kpi_layer.finite_or_null(expr) }}
    {%- else -%}
        {{ kpi_layer.try_cast(expr, kpi_layer.type_double()) }}
    {%- endif -%}
{%- endmacro %}


{% macro finite_or_null(expr) -%}
    {{ return(adapter.dispatch('finite_or_null', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__finite_or_null(expr) -%}
    case when {{ expr }} = {{ expr }} and abs({{ expr }}) < 1e308 then {{ expr }} end
{%- endmacro %}

{% macro duckdb__finite_or_null(expr) -%}
    case when isfinite({{ expr }}) then {{ expr }} end
{%- endmacro %}

{% macro postgres__finite_or_null(expr) -%}
    case
        when {{ expr }} not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) then {{ expr }}
    end
{%- endmacro %}


{# The SQL condition under which a typed column breaks its declared bounds (see typed_source). #}
{% macro bounds_violated(column, bounds, source_name, loaded_at, relation) -%}
    {%- set plausible_start = var(source_name ~ '_plausible_start', none) or var('plausible_start') -%}
    {%- set start_literal = "cast('" ~ plausible_start ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if bounds is mapping -%}
        {%- set parts = [] -%}
        {%- if bounds.get('min') is not none %}{% do parts.append(column ~ ' < ' ~ bounds.min) %}{% endif -%}
        {%- if bounds.get('max') is not none %}{% do parts.append(column ~ ' > ' ~ bounds.max) %}{% endif -%}
        {{ return('(' ~ parts | join(' or ') ~ ')') }}
    {%- elif bounds == 'amount' -%}
        {{ return('(abs(' ~ column ~ ') > ' ~ var('max_amount_minor_units') ~ ')') }}
    {%- elif bounds in ('event_time', 'planned_time') -%}
        {#- the as-of time of the source: its latest load; every row's time is checked against it -#}
        {%- set synced_until = '(select max(' ~ loaded_at ~ ') from ' ~ relation ~ ')' -%}
        {%- set ceiling -%}
            {%- if bounds == 'event_time' -%}
                {{ dbt.dateadd('hour', var('clock_skew_hours'), synced_until) }}
            {%- else -%}
                {{ dbt.dateadd('day', var('max_planning_days'), synced_until) }}
            {%- endif -%}
        {%- endset -%}
        {%- if loaded_at and loaded_at != column -%}
            {{ return('(' ~ column ~ ' < ' ~ start_literal ~ ' or ' ~ column ~ ' > ' ~ ceiling ~ ')') }}
        {%- else -%}
            {{ return('(' ~ column ~ ' < ' ~ start_literal ~ ')') }}
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('kpi_layer: unknown bounds ' ~ bounds ~ ' on column ' ~ column) }}
    {%- endif -%}
{%- endmacro %}


{# A TIMESTAMPTZ as the UTC wall-clock time, without a time zone, whatever the session's time zone. #}
{% macro timestamptz_to_utc(expr) -%}
    {{ return(adapter.dispatch('timestamptz_to_utc', 'kpi_layer')(expr)) }}
{%- endmacro %}

{% macro default__timestamptz_to_utc(expr) -%}
    cast({{ expr }} at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__timestamptz_to_utc(expr) -%}
    timezone('UTC', {{ expr }})
{%- endmacro %}

{% macro postgres__timestamptz_to_utc(expr) -%}
    ({{ expr }} at time zone 'UTC')
{%- endmacro %}
