with base as (

    select * from {{ ref('base_marketplace__credits') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_marketplace__credits')) }}
    from base
    where _dq_reason is null

)

select * from final
