{#-
  Helpers the staging models share, so the eleven of them spell the same things the same way.
  Sources are typed by their contracts (models/staging/_sources.yml): staging selects plain columns
  with portable SQL. What has no spelling common to DuckDB and PostgreSQL lives here, behind
  adapter.dispatch: `duckdb__<name>` is the DuckDB version; another engine adds `<engine>__<name>`
  (a missing one fails compilation naming the macro it looked for).
-#}

{#- The landing metadata carried through to the vault, on every staging row:
    _landing_key   the landed object the row came from (`vaultline landing cat <key>` shows its bytes);
    load_ts        when that object was landed (UTC) — the vault's load timestamp;
    record_source  the same landing key: what the vault writes into every hub, link and satellite row,
                   so any vault row names the exact payload it was loaded from. -#}
{% macro landing_columns() -%}
    _landing_key,
    _load_ts as load_ts,
    _landing_key as record_source
{%- endmacro %}

{#- A business key as text: trimmed, empty becomes NULL (the vault skips rows whose key is NULL and
    counts them, rather than loading a key made of blanks). -#}
{% macro clean_key(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- Free text: trimmed, empty becomes NULL (World Bank's `unit: ""`). -#}
{% macro clean_text(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- A local wall-clock TIMESTAMP in an IANA time zone (a column, e.g. Africa/Johannesburg) as UTC;
    daylight saving time is applied for the instant itself, not one offset for the whole payload. -#}
{% macro local_to_utc(local_ts, tz) -%}
    {{ return(adapter.dispatch('local_to_utc')(local_ts, tz)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(local_ts, tz) -%}
    (timezone({{ tz }}, {{ local_ts }}) at time zone 'UTC')
{%- endmacro %}

{#- A UTC TIMESTAMP as the period hub's ISO 8601 hour label, 2025-01-14T05:00:00Z
    (models/vault/_periods.yml). -#}
{% macro utc_hour_label(ts) -%}
    {{ return(adapter.dispatch('utc_hour_label')(ts)) }}
{%- endmacro %}

{% macro duckdb__utc_hour_label(ts) -%}
    strftime({{ ts }}, '%Y-%m-%dT%H:%M:%SZ')
{%- endmacro %}

{#- `expr` cast to `type`, or NULL when it does not convert (never an error): World Bank's period
    "2023" is a year, "2023Q1" is not. -#}
{% macro safe_cast(expr, type) -%}
    {{ return(adapter.dispatch('safe_cast')(expr, type)) }}
{%- endmacro %}

{% macro duckdb__safe_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{#- The text field `field` of every element of a JSON array column, in array order, joined with
    `separator`; NULL when the array is empty or null (SpaceX's failures[].reason). -#}
{% macro json_array_join(json_array, field, separator) -%}
    {{ return(adapter.dispatch('json_array_join')(json_array, field, separator)) }}
{%- endmacro %}

{% macro duckdb__json_array_join(json_array, field, separator) -%}
    nullif(array_to_string(json_extract_string({{ json_array }}, '$[*].{{ field }}'), '{{ separator }}'), '')
{%- endmacro %}

{#- The number of elements of a JSON array column (GitHub's parents), NULL when it is null. -#}
{% macro json_array_size(json_array) -%}
    {{ return(adapter.dispatch('json_array_size')(json_array)) }}
{%- endmacro %}

{% macro duckdb__json_array_size(json_array) -%}
    cast(json_array_length({{ json_array }}) as integer)
{%- endmacro %}
