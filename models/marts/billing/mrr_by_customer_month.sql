{#
    MRR of each customer at each month end, and its movement since the previous month end. Amounts are
    computed in whole minor units and converted to major units last, so every sum is exact. USD figures use
    the month's rate for both months (the previous month is restated), so exchange rates never show as
    expansion or contraction; fx_effect_usd bridges to the previous month as reported.
#}
with price_periods as (

    select * from {{ ref('int_subscription_line_periods') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_monthly') }}

),

calendar as (

    select * from {{ ref('dim_dates') }}

),

report_end as (

    select {{ kpi_layer.as_of_date() }} as as_of_date

),

measurement_points as (

    select distinct
        calendar.month_start_date,
        calendar.month_end_date,
        -- the month of the as-of date is measured at the close of the as-of date, never in the future
        least(calendar.month_end_date, report_end.as_of_date) as measured_through_date,
        cast({{ dbt.dateadd('day', 1, 'least(calendar.month_end_date, report_end.as_of_date)') }} as timestamp)
            as measured_before_at
    from calendar
    cross join report_end
    where calendar.month_start_date <= report_end.as_of_date

),

subscription_months as (

    -- the price live at the close of the last day: started before midnight, not over by then
    select
        measurement_points.month_start_date,
        price_periods.customer_id,
        price_periods.currency,
        price_periods.subscription_id,
        price_periods.plan_name,
        price_periods.product_line,
        price_periods.plan_code,
        price_periods.mrr_amount,
        row_number() over (
            partition by price_periods.customer_id, measurement_points.month_start_date
            order by price_periods.mrr_amount desc, price_periods.subscription_id asc
        ) as plan_rank
    from measurement_points
    inner join price_periods
        on
            measurement_points.measured_before_at > price_periods.effective_from_at
            and measurement_points.measured_before_at <= price_periods.effective_to_at

),

customer_months as (

    select
        month_start_date,
        customer_id,
        currency,
        sum(mrr_amount) as mrr_amount,
        count(*) as active_subscriptions
    from subscription_months
    group by month_start_date, customer_id, currency

),

-- a customer with several subscriptions is reported under the one bringing the most MRR
month_end_plans as (

    select
        month_start_date,
        customer_id,
        plan_name,
        product_line,
        plan_code
    from subscription_months
    where plan_rank = 1

),

customers as (

    select
        customer_id,
        currency,
        min(month_start_date) as first_mrr_month_start_date
    from customer_months
    where mrr_amount > 0
    group by customer_id, currency

),

customer_spine as (

    select
        customers.customer_id,
        customers.currency,
        measurement_points.month_start_date,
        measurement_points.month_end_date,
        measurement_points.measured_through_date
    from customers
    inner join measurement_points
        on customers.first_mrr_month_start_date <= measurement_points.month_start_date

),

measured as (

    select
        customer_spine.*,
        month_end_plans.plan_name,
        month_end_plans.product_line,
        month_end_plans.plan_code,
        coalesce(customer_months.active_subscriptions, 0) as active_subscriptions,
        coalesce(customer_months.mrr_amount, 0) as mrr_amount,
        cast(fx_rates.usd_per_unit as {{ dbt.type_numeric() }}) as usd_per_unit
    from customer_spine
    left join customer_months
        on
            customer_spine.customer_id = customer_months.customer_id
            and customer_spine.currency = customer_months.currency
            and customer_spine.month_start_date = customer_months.month_start_date
    left join month_end_plans
        on
            customer_spine.customer_id = month_end_plans.customer_id
            and customer_spine.month_start_date = month_end_plans.month_start_date
            and customer_months.mrr_amount > 0
    left join fx_rates
        on
            customer_spine.currency = fx_rates.currency
            and customer_spine.month_start_date = fx_rates.month_start_date

),

lagged as (

    select
        *,
        cast(round(mrr_amount * usd_per_unit) as bigint) as mrr_usd_amount,
        lag(mrr_amount) over (partition by customer_id order by month_start_date) as previous_mrr_amount,
        lag(plan_name) over (partition by customer_id order by month_start_date) as previous_plan_name,
        lag(product_line) over (partition by customer_id order by month_start_date) as previous_product_line
    from measured

),

restated as (

    select
        *,
        -- last month's MRR at this month's rate: the base the movements are measured from
        cast(round(coalesce(previous_mrr_amount, 0) * usd_per_unit) as bigint) as previous_mrr_usd_amount,
        case
            when previous_mrr_amount is null then 'new'
            when previous_mrr_amount = 0 and mrr_amount > 0 then 'reactivated'
            when previous_mrr_amount > 0 and mrr_amount = 0 then 'churned'
            when mrr_amount > previous_mrr_amount then 'expansion'
            when mrr_amount < previous_mrr_amount then 'contraction'
            when mrr_amount > 0 then 'unchanged'
            else 'inactive'
        end as movement_type,
        coalesce(
            lag(mrr_usd_amount) over (partition by customer_id order by month_start_date), 0
        ) as opening_mrr_usd_amount
    from lagged

),

movements as (

    select
        *,
        mrr_amount - coalesce(previous_mrr_amount, 0) as change_amount,
        mrr_usd_amount - previous_mrr_usd_amount as change_usd_amount
    from restated

),

final as (

    select
        month_start_date,
        month_end_date,
        measured_through_date,
        customer_id,
        currency,
        plan_name,
        product_line,
        plan_code,
        previous_plan_name,
        previous_product_line,
        active_subscriptions,
        coalesce(previous_mrr_amount, 0) > 0 as is_active_at_month_start,
        mrr_amount > 0 as is_active_at_month_end,
        movement_type,
        {% for column in ['mrr_amount', 'previous_mrr_amount'] -%}
            cast({{ kpi_layer.to_major_units('coalesce(' ~ column ~ ', 0)') }} as {{ dbt.type_numeric() }})
                as {{ column | replace('_amount', '') }},
        {% endfor -%}
        {% for movement in ['new', 'expansion', 'contraction', 'churned', 'reactivated'] -%}
            cast({{ kpi_layer.to_major_units(
                "case when movement_type = '" ~ movement ~ "' then change_amount else 0 end"
            ) }} as {{ dbt.type_numeric() }}) as {{ movement }}_mrr,
        {% endfor -%}
        usd_per_unit,
        {% for column in ['mrr_usd_amount', 'previous_mrr_usd_amount', 'opening_mrr_usd_amount'] -%}
            cast({{ kpi_layer.to_major_units(column) }} as {{ dbt.type_numeric() }})
                as {{ column | replace('_amount', '') }},
        {% endfor -%}
        cast(
            {{ kpi_layer.to_major_units('previous_mrr_usd_amount - opening_mrr_usd_amount') }}
            as {{ dbt.type_numeric() }}
        ) as fx_effect_usd,
        {% for movement in ['new', 'expansion', 'contraction', 'churned', 'reactivated'] -%}
            cast({{ kpi_layer.to_major_units(
                "case when movement_type = '" ~ movement ~ "' then change_usd_amount else 0 end"
            ) }} as {{ dbt.type_numeric() }}) as {{ movement }}_mrr_usd{% if not loop.last %},{% endif %}
        {% endfor %}
    from movements

)

select * from final
