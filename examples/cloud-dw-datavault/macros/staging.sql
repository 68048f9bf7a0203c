{#-
  Helpers the staging models share, so the eleven of them spell the same things the same way.
  Sources are typed by their contracts (models/staging/_sources.yml): staging selects plain columns
  with SQL that DuckDB and PostgreSQL read alike (CONTEXT.md, "Portable SQL"). What has no spelling
  common to both lives here, behind adapter.dispatch: `duckdb__<name>` and `postgres__<name>` give the
  same values, and another engine adds `<engine>__<name>` (a missing one fails compilation naming the
  macro it looked for). Dispatched: local_to_utc, utc_hour_label, date_label, json_array_join,
  json_array_size. Portable (one spelling): landing_columns, clean_key, clean_text, safe_cast.
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

{#- DuckDB: timezone(tz, ts) reads a TIMESTAMP as wall clock in tz (a TIMESTAMPTZ); AT TIME ZONE 'UTC'
    gives back the UTC wall clock as a TIMESTAMP. PostgreSQL: `ts AT TIME ZONE tz` does the first step
    for a timestamp without time zone. Both resolve a wall-clock time that does not exist (spring
    forward) or exists twice (fall back) the same way: checked every 15 minutes of 2010-2026 in seven
    zones with odd rules (Berlin, Sao Paulo, New York, Lord Howe, Apia, Tehran, Johannesburg). -#}
{% macro duckdb__local_to_utc(local_ts, tz) -%}
    (timezone({{ tz }}, {{ local_ts }}) at time zone 'UTC')
{%- endmacro %}

{% macro postgres__local_to_utc(local_ts, tz) -%}
    (({{ local_ts }} at time zone {{ tz }}) at time zone 'UTC')
{%- endmacro %}

{#- A UTC TIMESTAMP as the period hub's ISO 8601 hour label, 2025-01-14T05:00:00Z
    (models/vault/_periods.yml). -#}
{% macro utc_hour_label(ts) -%}
    {{ return(adapter.dispatch('utc_hour_label')(ts)) }}
{%- endmacro %}

{% macro duckdb__utc_hour_label(ts) -%}
    strftime({{ ts }}, '%Y-%m-%dT%H:%M:%SZ')
{%- endmacro %}

{% macro postgres__utc_hour_label(ts) -%}
    to_char({{ ts }}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
{%- endmacro %}

{#- A DATE as the period hub's ISO 8601 day label, 2025-01-01. Not `cast(d as text)`: PostgreSQL renders
    a date by its DateStyle setting (`SQL, DMY` gives 01/01/2025), DuckDB always as ISO 8601. -#}
{% macro date_label(day) -%}
    {{ return(adapter.dispatch('date_label')(day)) }}
{%- endmacro %}

{% macro duckdb__date_label(day) -%}
    cast({{ day }} as varchar)
{%- endmacro %}

{% macro postgres__date_label(day) -%}
    to_char({{ day }}, 'YYYY-MM-DD')
{%- endmacro %}

{#- Text `expr` as an integer `type` (integer, bigint or smallint), or NULL when it is not one (never an
    error): World Bank's period "2023" is a year, "2023Q1" is not. One spelling for every engine
    (PostgreSQL 15 has no try_cast, and pg_input_is_valid is 16+): the text, trimmed of spaces, must
    be an optional sign and 1 to 38 digits, and the number must fit the type. DuckDB's try_cast would
    also take "1.5" (as 2), "1_000" or "0x10"; here every engine takes the same texts. -#}
{% macro safe_cast(expr, type) -%}
    {%- set bounds = {
        'smallint': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'],
        'int': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807']
    } -%}
    {%- set kind = type | lower | trim -%}
    {%- if kind not in bounds -%}
        {{ exceptions.raise_compiler_error("safe_cast(" ~ expr ~ ", '" ~ type ~ "'): only integer, bigint and smallint are supported; for another type write a CASE that checks the text first, as safe_cast does") }}
    {%- endif -%}
    case when trim({{ expr }}) similar to '[+-]?[0-9]{1,38}' then
        case when cast(trim({{ expr }}) as decimal(38, 0)) between {{ bounds[kind][0] }} and {{ bounds[kind][1] }}
            then cast(cast(trim({{ expr }}) as decimal(38, 0)) as {{ kind }})
        end
    end
{%- endmacro %}

{#- The text field `field` of every element of a JSON array column, in array order, joined with
    `separator`; NULL when the array is empty or null (SpaceX's failures[].reason). -#}
{% macro json_array_join(json_array, field, separator) -%}
    {{ return(adapter.dispatch('json_array_join')(json_array, field, separator)) }}
{%- endmacro %}

{#- Elements without the field, or with a JSON null in it, are left out; an empty text is kept. A value
    that is not an array (an object, a JSON null) gives NULL. -#}
{% macro duckdb__json_array_join(json_array, field, separator) -%}
    nullif(array_to_string(json_extract_string({{ json_array }}, '$[*].{{ field }}'), {{ separator | sql_literal }}), '')
{%- endmacro %}

{#- WITH ORDINALITY keeps the array order; `cast(… as json)` takes a json, jsonb or text column alike. -#}
{% macro postgres__json_array_join(json_array, field, separator) -%}
    (select nullif(string_agg(elements.element ->> {{ field | sql_literal }}, {{ separator | sql_literal }} order by elements.position), '')
     from json_array_elements(case when json_typeof(cast({{ json_array }} as json)) = 'array' then cast({{ json_array }} as json) end)
         with ordinality as elements(element, position))
{%- endmacro %}

{#- The number of elements of a JSON array column (GitHub's parents), NULL when it is null; 0 for a
    JSON value that is not an array (DuckDB's json_array_length; PostgreSQL's would fail). -#}
{% macro json_array_size(json_array) -%}
    {{ return(adapter.dispatch('json_array_size')(json_array)) }}
{%- endmacro %}

{% macro duckdb__json_array_size(json_array) -%}
    cast(json_array_length({{ json_array }}) as integer)
{%- endmacro %}

{% macro postgres__json_array_size(json_array) -%}
    cast(case
        when json_typeof(cast({{ json_array }} as json)) = 'array' then json_array_length(cast({{ json_array }} as json))
        when {{ json_array }} is not null then 0
    end as integer)
{%- endmacro %}
