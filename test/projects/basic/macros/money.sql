{#- Prices are decimals in the API; marts keep integer cents so sums are exact. -#}
{% macro to_cents(column) -%}
cast(round({{ column }} * 100) as bigint)
{%- endmacro %}
