{% set raw = source('tutoring', 'tutors') %}

with source as (

    {{ kpi_layer.typed_source('tutoring', 'tutors') }}

),

renamed as (

    select
        cast(tutor_id as {{ dbt.type_string() }}) as tutor_id,
        {{ kpi_layer.hash_pii(kpi_layer.source_column(raw, 'email', 'varchar')) }} as email_hash,
        upper({{ kpi_layer.source_column(raw, 'country', 'varchar') }}) as country_code,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        lower(status) as tutor_status,
        cast(approved_at as {{ dbt.type_timestamp() }}) as approved_at,
        cast(hourly_rate_amount as {{ dbt.type_bigint() }}) as hourly_rate_amount,
        lower(currency) as currency,
        cast(stripe_account_id as {{ dbt.type_string() }}) as stripe_account_id,
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
