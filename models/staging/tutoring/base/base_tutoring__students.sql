{% set raw = source('tutoring', 'students') %}

with source as (

    {{ kpi_layer.typed_source('tutoring', 'students') }}

),

renamed as (

    select
        student_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        signed_up_at,
        lower(acquisition_channel) as acquisition_channel,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['student_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
