{#- a large stream: each run stages only new and re-delivered rows (macros/staging/incremental_batch.sql) -#}
{{ config(
    materialized='incremental',
    unique_key='_dq_batch_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with source as (

    {{ kpi_layer.typed_source('tutoring', 'messages', incremental_key='message_id') }}

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
