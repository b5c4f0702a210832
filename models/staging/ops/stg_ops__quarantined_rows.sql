{{ kpi_layer.quarantined_rows([
    'base_ops__deployments',
]) }}
