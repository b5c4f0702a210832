with base as (

    select * from {{ ref('base_tutoring__students') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_tutoring__students')) }}
    from base
    where _dq_reason is null

)

select * from final
