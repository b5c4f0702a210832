{% set raw = source('ops', 'support_tickets') %}

with source as (

    {{ kpi_layer.typed_source('ops', 'support_tickets') }}

),

renamed as (

    select
        ticket_id,
        user_id,
        lower(channel) as channel,
        lower(priority) as priority,
        lower(status) as ticket_status,
        created_at,
        first_response_at,
        resolved_at,
        resolved_at_first_contact as is_resolved_at_first_contact,
        cast(
            {{ kpi_layer.source_column(raw, 'satisfaction_score', 'bigint') }} as {{ dbt.type_bigint() }}
        ) as satisfaction_score,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['ticket_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
