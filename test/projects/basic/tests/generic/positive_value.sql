{#- A custom generic test: rows where the column is negative (or zero, unless allow_zero). -#}
{% test positive_value(model, column_name, allow_zero=false) %}
select *
from {{ model }}
where {{ column_name }} {% if allow_zero %}<{% else %}<={% endif %} 0
{% endtest %}
