{#
    One row per listing status change with the days whose end it is in force at. Supply KPIs are counted "as of
    the end of the day", so only the last change of a day matters: a status is the listing's end-of-day status
    from the day it was set up to (not including) the day of the next change. A listing made active and paused
    the same day gets an empty window (from = until) and is never counted active for that day.
#}
with status_history as (

    select * from {{ ref('stg_marketplace__listing_status_history') }}

),

sequenced as (

    select
        listing_id,
        listing_status,
        changed_at,
        lead(changed_at) over (partition by listing_id order by changed_at) as next_changed_at
    from status_history

),

final as (

    select
        listing_id,
        listing_status,
        changed_at,
        next_changed_at,
        cast(changed_at as date) as in_force_from_date,
        cast(next_changed_at as date) as in_force_until_date
    from sequenced

)

select * from final
