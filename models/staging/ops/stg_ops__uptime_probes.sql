with base as (

    select * from {{ ref('base_ops__uptime_probes') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_ops__uptime_probes')) }}
    from base
    where _dq_reason is null

)

select * from final
