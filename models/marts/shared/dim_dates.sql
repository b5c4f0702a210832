with days as (

    {{ kpi_layer.date_spine('day', "'" ~ var('date_spine_start') ~ "'", "'" ~ var('date_spine_end') ~ "'") }}

),

final as (

    select
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'date_day'))) }} as date)
            as month_end_date,
        -- days since Monday 1970-01-05, modulo 7: 5 and 6 are Saturday and Sunday, on any warehouse
        mod({{ dbt.datediff("cast('1970-01-05' as date)", 'date_day', 'day') }}, 7) in (5, 6) as is_weekend
    from days

)

select * from final
