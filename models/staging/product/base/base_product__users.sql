with source as (

    {{ kpi_layer.typed_source('product', 'users') }}

),

renamed as (

    select
        user_id,
        {{ kpi_layer.hash_pii('email') }} as email_hash,
        upper(trim(country)) as country_code,
        signed_up_at,
        lower(user_type) as user_type,
        lower(product_line) as product_line,
        lower(plan_at_signup) as signup_plan_code,
        lower(plan_at_signup) <> 'free' as is_paid_at_signup,
        lower(acquisition_channel) as acquisition_channel,
        coalesce(telemetry_consent, false) as has_telemetry_consent,
        consent_updated_at,
        _loaded_at,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['user_id'],
        latest_by='_loaded_at',
    ) }}

)

select * from flagged
