{{ config(enabled=kpi_layer.using_families(['marketplace', 'stripe'])) }}

{#
    gmv, platform_revenue and owner_payouts per month: the days of gmv_daily summed (amounts add up, so the
    month is the sum of its days and the three KPIs keep GMV = revenue + processing fees + payouts). A month
    is a row once any of its days is in gmv_daily; the current one is partial up to the as-of date.
#}
{{ kpi_layer.gmv_by_period('month') }}
