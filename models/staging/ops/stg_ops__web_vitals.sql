with base as (

    select * from {{ ref('base_ops__web_vitals') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_ops__web_vitals')) }}
    from base
    where _dq_reason is null

)

select * from final
