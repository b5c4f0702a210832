with base as (

    select * from {{ ref('base_storefront__customers') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_storefront__customers')) }}
    from base
    where _dq_reason is null

)

select * from final
