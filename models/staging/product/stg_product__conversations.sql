with base as (

    select * from {{ ref('base_product__conversations') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_product__conversations')) }}
    from base
    where _dq_reason is null

)

select * from final
