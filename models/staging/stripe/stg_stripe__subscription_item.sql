with base as (

    select * from {{ ref('base_stripe__subscription_item') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_stripe__subscription_item')) }}
    from base
    where _dq_reason is null

)

select * from final
