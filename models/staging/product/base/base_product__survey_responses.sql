with source as (

    {{ kpi_layer.typed_source('product', 'survey_responses', parse_as={'responded_at': 'timestamp'}) }}

),

renamed as (

    select
        response_id as survey_response_id,
        user_id,
        sent_at,
        responded_at,
        score,
        _loaded_at,
        _dq_contract_reason,
        lower(survey_type) as survey_type,
        responded_at is not null as has_responded
    from source

),

flagged as (

    {#- the scale depends on the survey: NPS 0-10, the others 1-5 (a score off it is out_of_range) #}
    {{ kpi_layer.flag_and_dedupe(
        'renamed',
        key_columns=['survey_response_id'],
        latest_by='_loaded_at',
        checks=[
            ('out_of_range', "score < case when survey_type = 'nps' then 0 else 1 end"),
            ('out_of_range', "score > case when survey_type = 'nps' then 10 else 5 end"),
        ],
    ) }}

)

select * from flagged
