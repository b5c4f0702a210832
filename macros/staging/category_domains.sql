{#
    The known values of every category column staging passes on from raw data: the one declaration of them
    (docs/decisions.md, "Bad input"). A value outside its column's list is a new, legitimate value until
    someone says otherwise: staging keeps the row, the data-quality mart unknown_category_values lists the
    value with its row count (a warn-level test reports it), and marts that enumerate a column's values
    put it in the 'other' bucket (kpi_layer.known_or_other). Add a value here once it is understood.
#}
{% macro category_domains() -%}
    {#- value lists that several columns share -#}
    {%- set app_currencies = ['usd', 'eur', 'gbp', 'cad'] -%}
    {%- set product_plan_codes = [
        'free', 'basic_monthly', 'professional_monthly', 'premium_monthly', 'basic_annual', 'professional_annual',
        'premium_annual', 'starter_monthly', 'pro_monthly', 'starter_annual', 'pro_annual'
    ] -%}
    {%- set integration_providers = ['shopify', 'wave', 'quickbooks', 'slack', 'gmail'] -%}
    {%- set listing_statuses = ['draft', 'active', 'paused', 'archived'] -%}
    {%- set stripe_collection_methods = ['charge_automatically', 'send_invoice'] -%}
    {%- set stripe_source_types = ['card', 'bank_account', 'fpx'] -%}
    {{ return({
        'stg_marketplace__certificate_issuance_attempts': {
            'attempt_status': ['succeeded', 'failed']
        },
        'stg_marketplace__clicks': {
            'device_type': ['desktop', 'mobile', 'tablet', 'bot'],
            'invalid_reason': ['bot', 'datacenter_ip', 'duplicate_click', 'rate_limited']
        },
        'stg_marketplace__contract_charges': {
            'charge_type': ['period', 'usage'],
            'charge_status': ['succeeded', 'failed'],
            'currency': app_currencies
        },
        'stg_marketplace__contracts': {
            'contract_status': ['active', 'ended', 'cancelled'],
            'currency': app_currencies
        },
        'stg_marketplace__credits': {
            'currency': app_currencies,
            'credit_reason': ['dispute_resolution', 'service_outage', 'ivt_adjustment', 'goodwill']
        },
        'stg_marketplace__disputes': {
            'dispute_status': ['open', 'closed'],
            'dispute_reason': ['invalid_traffic', 'route_downtime', 'billing_error', 'not_as_described']
        },
        'stg_marketplace__domains': {
            'verification_status': ['pending', 'verified', 'failed']
        },
        'stg_marketplace__listing_events': {
            'event_type': ['view', 'inquiry', 'checkout']
        },
        'stg_marketplace__listing_status_history': {
            'listing_status': listing_statuses
        },
        'stg_marketplace__listings': {
            'listing_status': listing_statuses,
            'currency': app_currencies
        },
        'stg_ops__deployments': {
            'service_name': ['api', 'web', 'redirector', 'worker'],
            'deployment_status': ['succeeded', 'failed', 'rolled_back']
        },
        'stg_ops__http_requests': {
            'service_name': ['api', 'web', 'redirector'],
            'http_method': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
        },
        'stg_ops__incidents': {
            'service_name': ['api', 'web', 'redirector', 'worker'],
            'severity': ['sev1', 'sev2', 'sev3'],
            'incident_status': ['open', 'resolved']
        },
        'stg_ops__support_tickets': {
            'channel': ['email', 'chat', 'phone'],
            'priority': ['low', 'normal', 'high', 'urgent'],
            'ticket_status': ['open', 'solved', 'closed']
        },
        'stg_ops__uptime_probes': {
            'service_name': ['api', 'web', 'redirector'],
            'region': ['us-east-1', 'eu-west-1']
        },
        'stg_ops__web_vitals': {
            'metric_name': ['lcp', 'tti'],
            'device_type': ['desktop', 'mobile', 'tablet']
        },
        'stg_product__conversations': {
            'channel': ['web_widget', 'mobile', 'messaging'],
            'closure_status': ['completed', 'abandoned', 'escalated']
        },
        'stg_product__integrations': {
            'integration_provider': integration_providers,
            'integration_status': ['connected', 'disconnected', 'error']
        },
        'stg_product__product_events': {
            'event_type': [
                'user.signup', 'user.activate', 'user.convert', 'user.churn', 'workflow.created', 'workflow.run',
                'workflow.success', 'workflow.error', 'integration.connected', 'integration.disconnected',
                'integration.error', 'api.call', 'session.start', 'session.end', 'message.sent', 'feature.used',
                'kb.document_uploaded', 'program.created', 'onboarding.step_completed', 'ai_response.rated'
            ],
            'feature_name': [
                'program_builder', 'multi_channel', 'analytics_dashboard', 'proactive_engine', 'templates',
                'ai_agents'
            ],
            'plan_code': product_plan_codes,
            'integration_provider': integration_providers,
            'onboarding_step': [
                'profile_completed', 'kb_uploaded', 'program_created', 'first_user_interaction',
                'integration_connected', 'workflow_created'
            ]
        },
        'stg_product__survey_responses': {
            'survey_type': ['nps', 'csat', 'ai_feedback', 'creator_satisfaction']
        },
        'stg_product__users': {
            'user_type': ['creator', 'end_user', 'member'],
            'product_line': ['creator', 'automation'],
            'signup_plan_code': product_plan_codes,
            'acquisition_channel': ['organic', 'paid', 'referral']
        },
        'stg_product__workflow_runs': {
            'integration_provider': integration_providers,
            'run_status': ['success', 'error']
        },
        'stg_product__workflows': {
            'workflow_status': ['active', 'paused', 'deleted']
        },
        'stg_storefront__customers': {
            'acquisition_channel': ['organic', 'paid_social', 'referral', 'direct']
        },
        'stg_storefront__events': {
            'event_type': ['session_start', 'page_view', 'add_to_cart', 'checkout_started', 'api_call']
        },
        'stg_storefront__metrics_daily': {
            'currency': ['usd']
        },
        'stg_storefront__orders': {
            'order_source': ['Shopify', 'API', 'Marketplace', 'Partnerships'],
            'currency': app_currencies,
            'order_status': ['paid', 'refunded', 'partially_refunded', 'cancelled']
        },
        'stg_storefront__spend': {
            'platform': ['meta', 'tiktok'],
            'currency': ['usd']
        },
        'stg_storefront__subscriptions': {
            'plan_code': ['box_weekly'],
            'subscription_status': ['active', 'cancelled']
        },
        'stg_stripe__balance_transaction': {
            'balance_transaction_type': [
                'adjustment', 'advance', 'advance_funding', 'anticipation_repayment', 'application_fee',
                'application_fee_refund', 'charge', 'climate_order_purchase', 'climate_order_refund',
                'connect_collection_transfer', 'contribution', 'issuing_authorization_hold',
                'issuing_authorization_release', 'issuing_dispute', 'issuing_transaction', 'obligation_outbound',
                'obligation_reversal_inbound', 'payment', 'payment_failure_refund', 'payment_network_reserve_hold',
                'payment_network_reserve_release', 'payment_refund', 'payment_reversal', 'payment_unreconciled',
                'payout', 'payout_cancel', 'payout_failure', 'payout_minimum_balance_hold',
                'payout_minimum_balance_release', 'refund', 'refund_failure', 'reserve_transaction',
                'reserved_funds', 'stripe_fee', 'stripe_fx_fee', 'tax_fee', 'topup', 'topup_reversal', 'transfer',
                'transfer_cancel', 'transfer_failure', 'transfer_refund'
            ],
            'reporting_category': [
                'advance', 'advance_funding', 'anticipation_repayment', 'charge', 'charge_failure',
                'climate_order_purchase', 'climate_order_refund', 'connect_collection_transfer',
                'connect_reserved_funds', 'contribution', 'dispute', 'dispute_reversal', 'fee', 'financing_paydown',
                'financing_paydown_reversal', 'financing_payout', 'financing_payout_reversal',
                'issuing_authorization_hold', 'issuing_authorization_release', 'issuing_dispute',
                'issuing_transaction', 'network_cost', 'other_adjustment', 'partial_capture_reversal', 'payout',
                'payout_reversal', 'platform_earning', 'platform_earning_refund', 'refund', 'refund_failure',
                'risk_reserved_funds', 'tax', 'topup', 'topup_reversal', 'transfer', 'transfer_reversal',
                'unreconciled_customer_funds'
            ],
            'balance_transaction_status': ['available', 'pending']
        },
        'stg_stripe__charge': {
            'charge_status': ['succeeded', 'pending', 'failed'],
            'outcome_type': ['authorized', 'manual_review', 'issuer_declined', 'blocked', 'invalid']
        },
        'stg_stripe__coupon': {
            'coupon_duration': ['forever', 'once', 'repeating']
        },
        'stg_stripe__customer': {
            'tax_exempt': ['none', 'exempt', 'reverse']
        },
        'stg_stripe__discount': {
            'discount_type': [
                'subscription', 'customer', 'invoice', 'invoice_item', 'checkout_session', 'credit_note_line_item',
                'checkout_session_line_item'
            ]
        },
        'stg_stripe__dispute': {
            'dispute_status': [
                'warning_needs_response', 'warning_under_review', 'warning_closed', 'needs_response',
                'under_review', 'charge_refunded', 'won', 'lost', 'prevented'
            ],
            'dispute_reason': [
                'bank_cannot_process', 'check_returned', 'credit_not_processed', 'customer_initiated',
                'debit_not_authorized', 'duplicate', 'fraudulent', 'general', 'incorrect_account_details',
                'insufficient_funds', 'noncompliant', 'product_not_received', 'product_unacceptable',
                'subscription_canceled', 'unrecognized'
            ]
        },
        'stg_stripe__invoice': {
            'invoice_status': ['draft', 'open', 'paid', 'uncollectible', 'void'],
            'billing_reason': [
                'automatic_pending_invoice_item_invoice', 'manual', 'quote_accept', 'subscription',
                'subscription_create', 'subscription_cycle', 'subscription_threshold', 'subscription_update',
                'upcoming'
            ],
            'collection_method': stripe_collection_methods
        },
        'stg_stripe__invoice_line_item': {
            'line_item_type': ['subscription', 'invoiceitem']
        },
        'stg_stripe__payout': {
            'payout_status': ['paid', 'pending', 'in_transit', 'canceled', 'failed'],
            'payout_type': ['bank_account', 'card'],
            'payout_method': ['standard', 'instant'],
            'source_type': stripe_source_types
        },
        'stg_stripe__price': {
            'recurring_interval': ['day', 'week', 'month', 'year'],
            'recurring_usage_type': ['licensed', 'metered'],
            'billing_scheme': ['per_unit', 'tiered']
        },
        'stg_stripe__product': {
            'product_type': ['service', 'good']
        },
        'stg_stripe__refund': {
            'refund_status': ['succeeded', 'pending', 'failed', 'canceled', 'requires_action'],
            'refund_reason': ['requested_by_customer', 'duplicate', 'fraudulent', 'expired_uncaptured_charge']
        },
        'stg_stripe__subscription': {
            'subscription_status': [
                'incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused'
            ],
            'collection_method': stripe_collection_methods
        },
        'stg_stripe__transfer': {
            'source_type': stripe_source_types
        },
        'stg_tutoring__audit_events': {
            'event_name': [
                'user.signup', 'user.login', 'user.logout', 'tutor.application', 'tutor.approved',
                'tutor.availability_set', 'booking.requested', 'booking.confirmed', 'booking.completed',
                'booking.cancelled', 'payment.initiated', 'payment.completed', 'payment.refunded',
                'package.purchased', 'package.session_used', 'page.landing', 'page.search', 'page.tutor_profile',
                'page.booking', 'search.performed', 'filter.applied', 'tutor.favorited', 'booking.started',
                'booking.submitted', 'message.sent', 'review.submitted'
            ],
            'actor_role': ['visitor', 'student', 'tutor', 'admin', 'system']
        },
        'stg_tutoring__bookings': {
            'session_state': ['requested', 'confirmed', 'completed', 'cancelled', 'no_show'],
            'payment_state': ['pending', 'authorized', 'captured', 'failed', 'refunded'],
            'currency': app_currencies
        },
        'stg_tutoring__messages': {
            'sender_role': ['student', 'tutor']
        },
        'stg_tutoring__packages': {
            'currency': app_currencies
        },
        'stg_tutoring__students': {
            'acquisition_channel': ['organic', 'paid_search', 'social', 'referral', 'content']
        },
        'stg_tutoring__tutor_applications': {
            'application_status': ['pending', 'approved', 'rejected']
        },
        'stg_tutoring__tutor_profile_steps': {
            'profile_step': ['profile_started', 'profile_complete', 'availability_set']
        },
        'stg_tutoring__tutors': {
            'tutor_status': ['applied', 'approved', 'rejected', 'suspended'],
            'currency': app_currencies
        }
    }) }}
{%- endmacro %}


{# The value, or 'other' when it is not among the known values of model.column (null stays null). #}
{% macro known_or_other(expr, model_name, column_name) -%}
    {%- set known = kpi_layer.category_domains()[model_name][column_name] -%}
    case
        when {{ expr }} is null then null
        when {{ expr }} in ({% for value in known %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
            then {{ expr }}
        else 'other'
    end
{%- endmacro %}
