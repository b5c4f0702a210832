{#
    listing_views_to_inquiry and listing_views_to_checkout per month: inquiries and checkouts over listing
    views of the same month (a period ratio of counts, not a cohort of viewers: an inquiry is not traced
    back to "its" view). Anonymous views count as views. The months run from the first listing event to the
    as-of date; one without views has no ratios.
#}
{{ kpi_layer.listing_funnel_by_period('month') }}
