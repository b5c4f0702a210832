{#
    valid_clicks, invalid_clicks and ivt_rate, one row per week (weeks as dim_dates starts them): the daily
    counts summed and the rate taken on the sums (not an average of daily rates, which would weigh a quiet
    day like a busy one).
#}
{{ kpi_layer.click_quality_by_period('week') }}
