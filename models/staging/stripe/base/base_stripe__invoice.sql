{% set raw = source('stripe', 'invoice') %}

with source as (

    {{ kpi_layer.typed_source('stripe', 'invoice') }}

),

renamed as (

    select
        id as invoice_id,
        customer_id,
        subscription_id,
        charge_id,
        payment_intent_id,
        number as invoice_number,
        lower(status) as invoice_status,
        lower(billing_reason) as billing_reason,
        lower(billing) as collection_method,
        lower(currency) as currency,
        subtotal as subtotal_amount,
        cast(subtotal - total + coalesce(tax, 0) as {{ dbt.type_bigint() }}) as discount_amount,
        tax as tax_amount,
        total as total_amount,
        amount_due as due_amount,
        amount_paid as paid_amount,
        amount_remaining as remaining_amount,
        starting_balance as starting_balance_amount,
        ending_balance as ending_balance_amount,
        attempt_count,
        attempted as is_attempted,
        paid as is_paid,
        auto_advance as is_auto_advance,
        coalesce(is_deleted, false) as is_deleted,
        description,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'object_type') }} as app_object_type,
        {{ kpi_layer.json_field('metadata', 'object_id') }} as app_object_id,
        livemode as is_livemode,
        created as created_at,
        due_date as due_at,
        period_start as period_start_at,
        period_end as period_end_at,
        cast(
            {{ kpi_layer.source_column(raw, 'status_transitions_finalized_at', 'timestamp') }}
            as {{ dbt.type_timestamp() }}
        ) as finalized_at,
        cast(
            {{ kpi_layer.source_column(raw, 'status_transitions_paid_at', 'timestamp') }}
            as {{ dbt.type_timestamp() }}
        ) as paid_at,
        cast(
            {{ kpi_layer.source_column(raw, 'status_transitions_voided_at', 'timestamp') }}
            as {{ dbt.type_timestamp() }}
        ) as voided_at,
        cast(
            {{ kpi_layer.source_column(raw, 'status_transitions_marked_uncollectible_at', 'timestamp') }}
            as {{ dbt.type_timestamp() }}
        ) as marked_uncollectible_at,
        next_payment_attempt as next_payment_attempt_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['invoice_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false'),
        ],
    ) }}

)

select * from flagged
