{#-
  Reading the vault from marts. Satellites are insert-only: a key has one row per version, plus one
  ghost record (record_source 'vaultline.ghost', load_ts 0001-01-01) that PIT tables point at where no
  version applies yet. These macros say "the newest version" and "the version a PIT row points at"
  once, so every mart reads the vault the same way. Every macro here is one spelling for DuckDB and
  PostgreSQL (CONTEXT.md, "Portable SQL"): nothing dispatches.
-#}

{#- The newest version of every key of a satellite, as a subquery; the ghost record left out.
    `partition_by`: the key columns — the hash key, plus the child key of a multi-active satellite
    (whose rows of one load share a load_ts and have no load_seq). `effective_from=true` for a
    satellite declaring the source's own version clock: newest by it first (as its PIT reads it).
    Every DESC says NULLS LAST: DuckDB's default, but PostgreSQL puts NULLs first in a DESC order. -#}
{% macro latest_versions(relation, partition_by, multi_active=false, effective_from=false) -%}
(
    select *
    from (
        select
            s.*,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {% if effective_from %}s.effective_from desc nulls last, {% endif %}s.load_ts desc nulls last{% if not multi_active %}, s.load_seq desc nulls last{% endif %}
            ) as version_rank
        from {{ relation }} as s
        where s.record_source <> 'vaultline.ghost'
    ) as versions
    where version_rank = 1
)
{%- endmacro %}

{#- Join condition from a PIT row (alias `pit_alias`) to the satellite row it points at (`sat_alias`).
    A PIT pointing at the ghost record joins to the ghost row, which callers filter out. -#}
{% macro pit_points_at(pit_alias, sat_alias, satellite, hash_key) -%}
{{ sat_alias }}.{{ hash_key }} = {{ pit_alias }}.{{ satellite }}_hk
    and {{ sat_alias }}.load_ts = {{ pit_alias }}.{{ satellite }}_load_ts
    and {{ sat_alias }}.load_seq = {{ pit_alias }}.{{ satellite }}_load_seq
{%- endmacro %}

{#- The newest snapshot (as_of_ts) of a PIT table, as a scalar subquery. -#}
{% macro newest_snapshot(pit) -%}
(select max(as_of_ts) from {{ pit }})
{%- endmacro %}

{#- Period labels of hub_period (models/vault/_periods.yml) read back as values. hub_period holds labels
    of every grain (years, days, hours), and an engine may apply the conversion to all of them before
    the join that narrows them to one grain, so each macro checks the label's shape first (SIMILAR TO
    matches the whole text on both engines) and gives NULL for a label of another grain, never an
    error. No try_cast: PostgreSQL has none. -#}

{#- A year label ("2023") as an INTEGER. -#}
{% macro period_label_to_year(label) -%}
    {{ safe_cast(label, 'integer') }}
{%- endmacro %}

{#- A day label ("2025-01-01") as a DATE. -#}
{% macro period_label_to_date(label) -%}
    case when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}' then cast({{ label }} as date) end
{%- endmacro %}

{#- An hour label ("2025-01-14T05:00:00Z", always UTC) as a UTC TIMESTAMP. -#}
{% macro period_label_to_utc(label) -%}
    case when {{ label }} similar to '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
        then cast(replace(replace({{ label }}, 'T', ' '), 'Z', '') as timestamp)
    end
{%- endmacro %}

{#- A number (a DOUBLE) as a count (BIGINT): NULL when it cannot be one — negative, or too large for
    BIGINT (a World Bank population of 1e23 has been landed) — rather than a cast error in every query
    that reads it. Fractions are rounded half up; tests/assert_population_is_a_count.sql reports all
    such values. Not round(): on a double PostgreSQL rounds half to even (2.5 → 2), DuckDB half away
    from zero (2.5 → 3); floor and the exact difference x - floor(x) are the same on both. -#}
{% macro as_count(expr) -%}
    cast(case when {{ expr }} >= 0 and {{ expr }} < 9.2e18
        then floor({{ expr }}) + case when {{ expr }} - floor({{ expr }}) >= 0.5 then 1 else 0 end
    end as bigint)
{%- endmacro %}
