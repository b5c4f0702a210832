with base as (

    select * from {{ ref('base_ops__help_center_sessions') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_ops__help_center_sessions')) }}
    from base
    where _dq_reason is null

)

select * from final
