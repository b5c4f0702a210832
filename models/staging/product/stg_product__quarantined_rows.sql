{{ kpi_layer.quarantined_rows([
    'base_product__users',
    'base_product__product_events',
    'base_product__workflows',
    'base_product__workflow_runs',
    'base_product__integrations',
    'base_product__conversations',
    'base_product__survey_responses',
]) }}
