with base as (

    select * from {{ ref('base_storefront__events') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_storefront__events')) }}
    from base
    where _dq_reason is null

)

select * from final
