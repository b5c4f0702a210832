{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(**kpi_layer.stream_config()) }}

with source as (

    {{ kpi_layer.typed_source('tutoring', 'messages', incremental_key='message_id') }}

),

renamed as (

    select
        message_id,
        booking_id,
        sender_id,
        sent_at,
        _loaded_at,
        _dq_contract_reason,
        lower(sender_role) as sender_role
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
