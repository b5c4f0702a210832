with source as (

    {{ kpi_layer.typed_source('ops', 'help_center_sessions') }}

),

renamed as (

    select
        session_id,
        user_id,
        started_at,
        article_id,
        resolved_query as is_query_resolved,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['session_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
