{#
    One row per domain an owner added, with the time DNS verification took. The seed measures verified_at -
    created_at; a domain that was never verified (pending or failed) has no duration rather than a guessed
    one, so it cannot pull the percentiles either way.
#}
with domains as (

    select * from {{ ref('stg_marketplace__domains') }}

),

final as (

    select
        domain_id,
        owner_id,
        verification_status,
        is_verified,
        created_at,
        verified_at,
        cast(verified_at as date) as verified_date,
        case
            when is_verified and verified_at is not null
                then {{ kpi_layer.safe_divide(dbt.datediff('created_at', 'verified_at', 'second'), 60) }}
        end as verification_minutes
    from domains

)

select * from final
