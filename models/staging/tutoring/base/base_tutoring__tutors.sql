{% set raw = source('tutoring', 'tutors') %}

with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutors') }}

),

renamed as (

    select
        tutor_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        created_at,
        lower(status) as tutor_status,
        approved_at,
        hourly_rate_amount,
        lower(currency) as currency,
        stripe_account_id,
        approved_at is not null as is_approved,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['tutor_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
