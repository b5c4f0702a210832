with base as (

    select * from {{ ref('base_marketplace__clicks') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_marketplace__clicks')) }}
    from base
    where _dq_reason is null

)

select * from final
