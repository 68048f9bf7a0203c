{% macro hash_key(expr) -%}
{{ return(adapter.dispatch('hash_key', 'cloud_dw_datavault')(expr)) }}
{%- endmacro %}
{% macro default__hash_key(expr) -%}
sha256(upper(trim({{ expr }})))
{%- endmacro %}
{% macro hash_diff(cols) -%}
sha256(upper(trim({{ cols | join(" || '|' || ") }})))
{%- endmacro %}
