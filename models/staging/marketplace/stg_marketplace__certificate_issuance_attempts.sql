with base as (

    select * from {{ ref('base_marketplace__certificate_issuance_attempts') }}

),

final as (

    select {{ kpi_layer.kept_columns(ref('base_marketplace__certificate_issuance_attempts')) }}
    from base
    where _dq_reason is null

)

select * from final
