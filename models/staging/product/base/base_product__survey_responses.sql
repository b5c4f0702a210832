with source as (

    select * from {{ kpi_layer.source_relation('product', 'survey_responses') }}

),

renamed as (

    select
        cast(response_id as {{ dbt.type_string() }}) as survey_response_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        lower(survey_type) as survey_type,
        cast(sent_at as {{ dbt.type_timestamp() }}) as sent_at,
        {{ kpi_layer.to_utc_timestamp('responded_at') }} as responded_at,
        cast(score as {{ dbt.type_bigint() }}) as score,
        responded_at is not null as has_responded,
        responded_at as _dq_raw_responded_at,
        _loaded_at
    from source

),

flagged as (

    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['survey_response_id'],
        latest_by='_loaded_at',
        checks=[
            ('malformed_value', 'responded_at is null and _dq_raw_responded_at is not null'),
            ('malformed_value', "score < case when survey_type = 'nps' then 0 else 1 end"),
            ('malformed_value', "score > case when survey_type = 'nps' then 10 else 5 end"),
        ],
    ) }}

)

select * from flagged
