with source as (

    {{ kpi_layer.typed_source('product', 'conversations') }}

),

renamed as (

    select
        cast(conversation_id as {{ dbt.type_string() }}) as conversation_id,
        cast(creator_id as {{ dbt.type_string() }}) as creator_id,
        cast(end_user_id as {{ dbt.type_string() }}) as end_user_id,
        lower(channel) as channel,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as duration_seconds,
        cast(message_count as {{ dbt.type_bigint() }}) as message_count,
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
