{#-
  Helpers every staging model uses, so the seven of them spell the same things the same way.
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

{#- An ISO 8601 text that carries its offset ("2025-01-14T00:00:00Z", "…+02:00") as a UTC TIMESTAMP.
    NULL when it does not parse. Never use it on a text without an offset: DuckDB would read that in the
    session's time zone. -#}
{% macro iso_to_utc(expr) -%}
    (try_cast({{ expr }} as timestamptz) at time zone 'UTC')
{%- endmacro %}

{#- A local wall-clock TIMESTAMP in an IANA time zone (e.g. Africa/Johannesburg) as UTC; daylight saving
    time is applied for the instant itself, not one offset for the whole payload. -#}
{% macro local_to_utc(local_ts, tz) -%}
    (timezone({{ tz }}, {{ local_ts }}) at time zone 'UTC')
{%- endmacro %}

{#- A business key as text: trimmed, empty becomes NULL (the vault skips rows whose key is NULL and
    counts them, rather than loading a key made of blanks). -#}
{% macro clean_key(expr) -%}
    nullif(trim(cast({{ expr }} as varchar)), '')
{%- endmacro %}

{#- The array `field` of a STRUCT column as DOUBLE[], or NULL when the struct has no such field or it
    is null. Read through JSON, so the field may be missing from every payload landed so far (a STRUCT
    field that was never seen cannot be named directly). -#}
{% macro optional_double_array(struct_column, field) -%}
    (case when json_type(to_json({{ struct_column }}), '$.{{ field }}') = 'ARRAY'
        then cast(json_extract(to_json({{ struct_column }}), '$.{{ field }}') as double[]) end)
{%- endmacro %}

{#- Free text: trimmed, empty becomes NULL. Cast first, so the model still builds when every payload
    so far held numbers or nulls in this field (the source column is then not VARCHAR). -#}
{% macro clean_text(expr) -%}
    nullif(trim(cast({{ expr }} as varchar)), '')
{%- endmacro %}
