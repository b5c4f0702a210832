{#
    The one definition of CAC's inputs: per day, app and acquisition channel, the acquisition (ad) spend and the
    new paying customers (first successful charge). CAC over any slice is sum(acquisition_spend_usd) /
    sum(new_paying_customers) (kpi_layer.cac), so the commerce marts (daily, weekly, by channel) and billing's
    LTV:CAC and payback divide the same numbers.

    Ad spend (Meta and TikTok, seed 001) buys customers for the app and channel of var ad_spend_attribution
    (storefront / paid_social). Apps with no spend source have a null spend, not zero: their CAC is unknown,
    not free. Channels of a spend-tracked app other than the paid one have spend 0 (organic customers cost
    no ad spend), so the app's blended CAC is its spend over all its new paying customers. Without the
    storefront family (var using_storefront) no spend is tracked: every CAC is null, never an error.
#}
{%- set attribution = var('ad_spend_attribution', {'app_name': 'storefront', 'acquisition_channel': 'paid_social'}) -%}

with acquired as (

    select * from {{ ref('int_customers_acquired') }}

),

{%- if var('using_storefront') %}

    spend as (

        select * from {{ ref('stg_storefront__spend') }}

    ),
{%- endif %}

new_customers as (

    select
        first_paid_date as date_day,
        app_name,
        coalesce(acquisition_channel, 'unknown') as acquisition_channel,
        count(*) as new_paying_customers
    from acquired
    where first_paid_date is not null
    group by first_paid_date, app_name, coalesce(acquisition_channel, 'unknown')

),

daily_spend as (

    {%- if var('using_storefront') %}
        select
            spend_date as date_day,
            '{{ attribution.app_name }}' as app_name,
            '{{ attribution.acquisition_channel }}' as acquisition_channel,
            -- both ad accounts bill in USD (staging keeps the currency; a non-USD account would need a rate here)
            sum({{ kpi_layer.to_major_units('spend_amount') }}) as acquisition_spend_usd
        from spend
        group by spend_date
    {%- else %}
    select
        cast(null as date) as date_day,
        cast(null as {{ dbt.type_string() }}) as app_name,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        {{ kpi_layer.as_amount('null') }} as acquisition_spend_usd
    where 1 = 0
    {%- endif %}

),

final as (

    select
        coalesce(new_customers.date_day, daily_spend.date_day) as date_day,
        coalesce(new_customers.app_name, daily_spend.app_name) as app_name,
        coalesce(new_customers.acquisition_channel, daily_spend.acquisition_channel) as acquisition_channel,
        coalesce(new_customers.new_paying_customers, 0) as new_paying_customers,
        {%- if not var('using_storefront') %}
        {{ kpi_layer.as_amount('null') }} as acquisition_spend_usd
        {%- else %}
        {{ kpi_layer.as_amount(
            "case
                when coalesce(new_customers.app_name, daily_spend.app_name) = '" ~ attribution.app_name ~ "'
                    then coalesce(daily_spend.acquisition_spend_usd, 0)
            end"
        ) }} as acquisition_spend_usd
        {%- endif %}
    from new_customers
    full outer join daily_spend
        on
            new_customers.date_day = daily_spend.date_day
            and new_customers.app_name = daily_spend.app_name
            and new_customers.acquisition_channel = daily_spend.acquisition_channel

)

select * from final
