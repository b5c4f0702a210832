with source as (

    {{ kpi_layer.typed_source('tutoring', 'messages') }}

),

renamed as (

    select
        cast(message_id as {{ dbt.type_string() }}) as message_id,
        cast(booking_id as {{ dbt.type_string() }}) as booking_id,
        cast(sender_id as {{ dbt.type_string() }}) as sender_id,
        lower(sender_role) as sender_role,
        cast(sent_at as {{ dbt.type_timestamp() }}) as sent_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['message_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
