{#- A model-level generic test: rows of `model` whose combination of `columns` is not unique — a mart's
    declared grain (e.g. country_code × year). Fails with each duplicated combination and its count. -#}
{% test unique_grain(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_records
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
