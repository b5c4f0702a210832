{% set raw = source('stripe', 'invoice') %}

with source as (

    {{ kpi_layer.typed_source('stripe', 'invoice') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as invoice_id,
        customer_id,
        subscription_id,
        charge_id,
        payment_intent_id,
        number as invoice_number,
        lower(status) as invoice_status,
        lower(billing_reason) as billing_reason,
        lower(billing) as collection_method,
        lower(currency) as currency,
        cast(subtotal as {{ dbt.type_bigint() }}) as subtotal_amount,
        cast(subtotal - total + coalesce(tax, 0) as {{ dbt.type_bigint() }}) as discount_amount,
        cast(tax as {{ dbt.type_bigint() }}) as tax_amount,
        cast(total as {{ dbt.type_bigint() }}) as total_amount,
        cast(amount_due as {{ dbt.type_bigint() }}) as due_amount,
        cast(amount_paid as {{ dbt.type_bigint() }}) as paid_amount,
        cast(amount_remaining as {{ dbt.type_bigint() }}) as remaining_amount,
        cast(starting_balance as {{ dbt.type_bigint() }}) as starting_balance_amount,
        cast(ending_balance as {{ dbt.type_bigint() }}) as ending_balance_amount,
        cast(attempt_count as {{ dbt.type_bigint() }}) as attempt_count,
        attempted as is_attempted,
        paid as is_paid,
        auto_advance as is_auto_advance,
        coalesce(is_deleted, false) as is_deleted,
        description,
        {{ kpi_layer.json_field('metadata', 'app') }} as app_name,
        {{ kpi_layer.json_field('metadata', 'object_type') }} as app_object_type,
        {{ kpi_layer.json_field('metadata', 'object_id') }} as app_object_id,
        livemode as is_livemode,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(due_date as {{ dbt.type_timestamp() }}) as due_at,
        cast(period_start as {{ dbt.type_timestamp() }}) as period_start_at,
        cast(period_end as {{ dbt.type_timestamp() }}) as period_end_at,
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
        cast(next_payment_attempt as {{ dbt.type_timestamp() }}) as next_payment_attempt_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as _fivetran_synced,
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
