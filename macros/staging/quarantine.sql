{#
    The staging contract, shared by every raw table (see docs/decisions.md, "Staging").

    A base model renames and casts one raw table, then ends with
        select * from ({{ flag_and_dedupe('renamed', ['charge_id'], '_fivetran_synced', checks) }}) as flagged
    which adds, per row:
      _dq_reason       null for a row that staging keeps, else why it was set aside:
                       'null_key', a check's own reason (first failing check wins), or 'duplicate'
      _dq_record_key   the natural key as text (for the quarantine relation)
      _dq_source_table the raw table's name
      _dq_loaded_at    when the loader landed the row
    Validity is decided first: a null key, then the typed read's own reason (_dq_contract_reason of
    kpi_layer.typed_source: malformed_value, out_of_range), then the model's checks, then the row-level tests
    of the staging model, which staging enforces rather than fails on (kpi_layer.staging_test_checks). Valid rows are then
    deduplicated on the natural key: the latest load wins and older deliveries become 'duplicate'. Two
    deliveries of one key in the same load (a tie on latest_by and tiebreak) are settled by a fingerprint of
    the row's content, so the winner never depends on physical row order; a loser whose content differs from
    the winner's is a 'conflicting_duplicate', one identical to it a plain 'duplicate'. An invalid row never
    displaces a valid one.

    The staging model keeps the rows whose _dq_reason is null; the source's quarantine model unions the
    others. rows in = rows kept + rows quarantined (duplicates included) is tested per raw table.
#}

{% macro flag_and_dedupe(from_cte, key_columns, latest_by, checks=[], source_table=none, tiebreak=[]) -%}
    {%- if var('lint_stand_ins') -%}
        {#- sqlfluff reports on the model's own text only; it need not parse the contract's expansion -#}
        select {{ from_cte }}.*, cast(null as {{ dbt.type_string() }}) as _dq_reason from {{ from_cte }}
    {%- else -%}
    {#- The raw table's name, from the base model's name (base_<source>__<table>); unit tests have no `this`. -#}
    {%- set model_name = this.identifier if this is not none else model.name -%}
    {%- set table_name = source_table or model_name.split('__')[-1] -%}
    {%- set key_text -%}
        {%- if key_columns | length == 1 -%}
            cast({{ key_columns[0] }} as {{ dbt.type_string() }})
        {%- else -%}
            {%- set parts = [] -%}
            {%- for key in key_columns -%}
                {%- do parts.append("coalesce(cast(" ~ key ~ " as " ~ dbt.type_string() ~ "), '')") -%}
                {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
            {%- endfor -%}
            {{ dbt.concat(parts) }}
        {%- endif -%}
    {%- endset %}
    {#- rows without a key rank among the rows of their own load only, so an incremental batch (which holds a
        load's rows whole) ranks them as a full refresh does -#}
    {%- set partition -%}
        partition by
            {% for key in key_columns %}checked.{{ key }}, {% endfor %}(checked._dq_row_reason is null),
            case when {% for key in key_columns %}checked.{{ key }} is null{% if not loop.last %} or {% endif %}{% endfor %}
                then checked._dq_loaded_at end
        order by checked._dq_loaded_at desc{% for col in tiebreak %}, checked.{{ col }}{% endfor %},
            checked._dq_fingerprint
    {%- endset %}
    select
        ranked.*,
        coalesce(
            ranked._dq_row_reason,
            case
                when ranked._dq_rank = 1 then null
                when ranked._dq_fingerprint <> ranked._dq_winner_fingerprint
                    and ranked._dq_loaded_at = ranked._dq_winner_loaded_at
                    then 'conflicting_duplicate'
                else 'duplicate'
            end
        ) as _dq_reason
    from (
        select
            checked.*,
            row_number() over ({{ partition }}) as _dq_rank,
            first_value(checked._dq_fingerprint) over ({{ partition }}) as _dq_winner_fingerprint,
            first_value(checked._dq_loaded_at) over ({{ partition }}) as _dq_winner_loaded_at
        from (
            select
                {{ from_cte }}.*,
                case
                    when {% for key in key_columns %}{{ key }} is null{% if not loop.last %} or {% endif %}{% endfor %}
                        then 'null_key'
                    when _dq_contract_reason is not null then _dq_contract_reason
                    {%- for check in checks + kpi_layer.staging_test_checks(model_name) %}
                    when {{ check[1] }} then '{{ check[0] }}'
                    {%- endfor %}
                end as _dq_row_reason,
                {{ key_text }} as _dq_record_key,
                {% if config.get('materialized') == 'incremental' -%}
                {#- an incremental stream's unique_key: a key's deliveries are replaced together; null-key rows
                    by their load time, which decides alone whether they are in a batch -#}
                coalesce(
                    {{ key_text }},
                    {{ dbt.concat(["'null_key@'", "coalesce(cast(" ~ latest_by ~ " as " ~ dbt.type_string() ~ "), '')"]) }}
                ) as _dq_batch_key,
                {% endif -%}
                '{{ table_name }}' as _dq_source_table,
                {{ latest_by }} as _dq_loaded_at,
                {{ kpi_layer.row_fingerprint(from_cte) }} as _dq_fingerprint
            from {{ from_cte }}
        ) as checked
    ) as ranked
    {%- endif -%}
{%- endmacro %}


{#
    The row-level data tests of a base model's staging model (stg_<source>__<table>), read from the graph, as
    checks: a row that would fail one is quarantined instead, so bad input never fails the build and the test
    still guards the contract. not_null -> 'missing_value', not_negative -> 'out_of_range', expression_is_true
    -> 'inconsistent_value' (a row breaking an invariant of its table: resolved before it started, refunded
    more than it cost). Key columns are checked before (null_key). Unit tests render without the graph.
#}
{% macro staging_test_checks(model_name) -%}
    {%- set checks = [] -%}
    {%- if execute and graph.get('nodes') and model_name.startswith('base_') -%}
        {%- set staged = 'model.' ~ project_name ~ '.stg_' ~ model_name[5:] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'test' and node.get('attached_node') == staged and node.get('test_metadata') -%}
            {%- set test_name = node.test_metadata.name -%}
            {%- set kwargs = node.test_metadata.kwargs -%}
            {#- the test's own scope (config: where) limits the check as it limits the test -#}
            {%- set scope = (' and (' ~ node.config.where ~ ')') if node.config.get('where') else '' -%}
            {%- if test_name == 'not_null' -%}
                {%- do checks.append(('missing_value', '(' ~ kwargs.column_name ~ ' is null' ~ scope ~ ')')) -%}
            {%- elif test_name == 'not_negative' -%}
                {%- do checks.append(('out_of_range', '(' ~ kwargs.column_name ~ ' < 0' ~ scope ~ ')')) -%}
            {%- elif test_name == 'expression_is_true' -%}
                {%- set condition = 'not (' ~ kwargs.expression ~ ')' -%}
                {%- if kwargs.get('where_clause') -%}
                    {%- set condition = condition ~ ' and (' ~ kwargs.where_clause ~ ')' -%}
                {%- endif -%}
                {%- do checks.append(('inconsistent_value', '(' ~ condition ~ scope ~ ')')) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {#- a missing value first, then a value out of range, then a broken invariant; stable within each -#}
    {%- set ordered = [] -%}
    {%- for reason in ['missing_value', 'out_of_range', 'inconsistent_value'] -%}
        {%- for check in checks | sort if check[0] == reason -%}
            {%- do ordered.append(check) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(ordered) }}
{%- endmacro %}


{# A fingerprint of a row's whole content (the relation alias stands for the row). #}
{% macro row_fingerprint(alias) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'kpi_layer')(alias)) }}
{%- endmacro %}

{% macro default__row_fingerprint(alias) -%}
    md5(cast({{ alias }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro duckdb__row_fingerprint(alias) -%}
    hash({{ alias }})
{%- endmacro %}

{% macro spark__row_fingerprint(alias) -%}
    xxhash64(to_json(struct({{ alias }}.*)))
{%- endmacro %}


{# The columns of a base model that staging keeps: all but the _dq_ bookkeeping columns. #}
{% macro kept_columns(relation) -%}
    {%- if not execute -%}
        *
    {%- else -%}
        {%- set columns = adapter.get_columns_in_relation(relation) -%}
        {#- Not built yet (a lint or compile before the first run): fall back to all columns. -#}
        {%- if columns | length == 0 %}*{% endif -%}
        {%- for column in columns if not column.name.lower().startswith('_dq_') %}
        {{ column.name }}{% if not loop.last %},{% endif %}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{# One source's quarantine: the set-aside rows of each of its base models, with table, key and reason. #}
{% macro quarantined_rows(base_models) -%}
    {%- for base_model in base_models %}
    select
        _dq_source_table as source_table,
        _dq_record_key as record_key,
        _dq_reason as reason,
        _dq_loaded_at as loaded_at
    from {{ ref(base_model) }}
    where _dq_reason is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}


{#
    Test mode inherited from a parent. Some Stripe objects carry no livemode of their own (balance transactions,
    refunds, subscription items); an object whose parent the parent's base model quarantined as test_mode is test
    mode too. Adds _dq_has_test_mode_parent to the rows of from_cte; the base model checks it:

        judged as (
            {{ kpi_layer.inherit_test_mode('renamed', 'charge_id', [('base_stripe__charge', 'charge_id')]) }}
        )
#}
{% macro inherit_test_mode(from_cte, key_column, parents) -%}
    select
        {{ from_cte }}.*,
        test_mode_parents.object_id is not null as _dq_has_test_mode_parent
    from {{ from_cte }}
    left join (
        {%- for parent_model, parent_key in parents %}
        select {{ parent_key }} as object_id
        from {{ ref(parent_model) }}
        where _dq_reason = 'test_mode'
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
    ) as test_mode_parents
        on {{ from_cte }}.{{ key_column }} = test_mode_parents.object_id
{%- endmacro %}
