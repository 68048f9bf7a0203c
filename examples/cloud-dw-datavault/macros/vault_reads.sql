{#-
  Reading the vault from marts. Satellites are insert-only: a key has one row per version, plus one
  ghost record (record_source 'vaultline.ghost', load_ts 0001-01-01) that PIT tables point at where no
  version applies yet. These macros say "the newest version" and "the version a PIT row points at"
  once, so every mart reads the vault the same way.
-#}

{#- The newest version of every key of a satellite, as a subquery; the ghost record left out.
    `partition_by`: the key columns — the hash key, plus the child key of a multi-active satellite
    (whose rows of one load share a load_ts and have no load_seq). `effective_from=true` for a
    satellite declaring the source's own version clock: newest by it first (as its PIT reads it). -#}
{% macro latest_versions(relation, partition_by, multi_active=false, effective_from=false) -%}
(
    select *
    from (
        select
            s.*,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {% if effective_from %}s.effective_from desc nulls last, {% endif %}s.load_ts desc{% if not multi_active %}, s.load_seq desc{% endif %}
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

{#- A period label of hub_period that carries its offset (an hour, "2025-01-14T05:00:00Z") as a UTC
    TIMESTAMP; NULL when it does not parse (a year or day label). -#}
{% macro period_label_to_utc(label) -%}
    (try_cast({{ label }} as timestamptz) at time zone 'UTC')
{%- endmacro %}

{#- A number as a count (BIGINT): NULL when it cannot be one — negative, or too large for BIGINT (a
    World Bank population of 1e23 has been landed) — rather than a cast error in every query that reads
    it. Fractions are rounded; tests/assert_population_is_a_count.sql reports all such values. -#}
{% macro as_count(expr) -%}
    cast(case when {{ expr }} >= 0 and {{ expr }} < 9.2e18 then round({{ expr }}) end as bigint)
{%- endmacro %}
