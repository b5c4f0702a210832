{{ kpi_layer.quarantined_rows([
    'base_ops__deployments',
    'base_ops__incidents',
    'base_ops__http_requests',
    'base_ops__uptime_probes',
    'base_ops__web_vitals',
    'base_ops__help_center_sessions',
    'base_ops__support_tickets',
]) }}
