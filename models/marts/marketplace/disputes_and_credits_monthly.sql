{#
    disputes_opened, disputes_closed and credits_issued per month. Opened and closed are counted in the month
    of their own event (a dispute opened in one month and closed in another counts once in each), so the
    two are flows, not a backlog. Credits are in USD at the issue month's rate. The months run from the first
    dispute or credit to the as-of date.
#}
{{ kpi_layer.disputes_and_credits_by_period('month') }}
