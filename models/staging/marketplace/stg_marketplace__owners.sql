with base as (

    select * from {{ ref('base_marketplace__owners') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_marketplace__owners')) }}
    from base
    where _dq_reason is null

)

select * from final
