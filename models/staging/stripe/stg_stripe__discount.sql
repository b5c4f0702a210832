with base as (

    select * from {{ ref('base_stripe__discount') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_stripe__discount')) }}
    from base
    where _dq_reason is null

)

select * from final
