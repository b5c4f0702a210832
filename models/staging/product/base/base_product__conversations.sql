with source as (

    {{ kpi_layer.typed_source('product', 'conversations') }}

),

renamed as (

    select
        conversation_id,
        creator_id,
        end_user_id,
        lower(channel) as channel,
        started_at,
        ended_at,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as duration_seconds,
        message_count,
        lower(closure_status) as closure_status,
        lower(closure_status) = 'completed' as is_completed,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['conversation_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
