{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    gmv, platform_revenue and owner_payouts per week: the days of gmv_daily summed (amounts add up, so the
    week is the sum of its days and the three KPIs keep GMV = revenue + processing fees + payouts). A week
    is a row once any of its days is in gmv_daily; the current one is partial up to the as-of date.
#}
{{ kpi_layer.gmv_by_period('week') }}
