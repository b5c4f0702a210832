{{ kpi_layer.quarantined_rows([
    'base_storefront__customers',
    'base_storefront__orders',
    'base_storefront__subscriptions',
    'base_storefront__spend',
    'base_storefront__events',
    'base_storefront__metrics_daily',
]) }}
