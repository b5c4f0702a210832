{% set raw = source('stripe', 'dispute') %}

{#- A dispute of a test-mode charge is test mode too, whatever its own livemode says. -#}
with source as (

    {{ kpi_layer.typed_source('stripe', 'dispute') }}

),

renamed as (

    select
        id as dispute_id,
        charge_id,
        balance_transaction as balance_transaction_id,
        {{ kpi_layer.source_column(raw, 'connected_account_id', 'varchar') }} as connected_account_id,
        amount,
        lower(currency) as currency,
        lower(status) as dispute_status,
        lower(reason) as dispute_reason,
        lower(status) in ('won', 'lost', 'warning_closed') as is_closed,
        evidence_details_has_evidence as has_evidence,
        is_charge_refundable,
        livemode as is_livemode,
        created as created_at,
        evidence_details_due_by as evidence_due_at,
        _fivetran_synced,
        _dq_contract_reason
    from source

),

judged as (

    {{ kpi_layer.inherit_test_mode('renamed', 'charge_id', [('base_stripe__charge', 'charge_id')]) }}

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'judged',
        key_columns=['dispute_id'],
        latest_by='_fivetran_synced',
        checks=[
            ('test_mode', 'is_livemode = false or _dq_has_test_mode_parent'),
        ],
    ) }}

)

select * from flagged
