{#
    dns_verification_minutes_p50 and _p95 per week: continuous (interpolated) percentiles of verified_at -
    created_at over the domains verified in the week, through the dispatch macro kpi_layer.percentile_cont.
    DuckDB and PostgreSQL interpolate with different rounding in the last bits of a double (91 comes out as
    90.99999999999999 and 90.99999999999997), so the percentiles are cast to numeric(28,6): both warehouses
    then give the same digits. A domain never verified has no duration and is not in any week. The weeks
    run from the first verification to the as-of date; one without verifications has no percentiles.
#}
{{ kpi_layer.dns_verification_by_period('week') }}
