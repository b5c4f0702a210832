{#
    Nothing is lost silently: every raw row is either kept by the staging model or set aside in the
    source's quarantine relation (duplicates included), so rows in = rows kept + rows quarantined.
    Returns one row, with the counts, when the books do not balance.
#}
{% test rows_accounted_for(model, source_relation, quarantine_model, source_table) %}

with raw_rows as (
    select count(*) as n from {{ kpi_layer.relation_or_empty(source_relation) }}
),

kept_rows as (
    select count(*) as n from {{ model }}
),

quarantined as (
    select
        count(*) as n,
        sum(case when reason = 'duplicate' then 1 else 0 end) as n_duplicates
    from {{ quarantine_model }}
    where source_table = '{{ source_table }}'
)

select
    raw_rows.n as rows_in,
    kept_rows.n as rows_kept,
    quarantined.n_duplicates as duplicates_removed,
    quarantined.n - quarantined.n_duplicates as rows_quarantined
from raw_rows
cross join kept_rows
cross join quarantined
where raw_rows.n <> kept_rows.n + quarantined.n

{% endtest %}
