{#-
  The as-of timestamps of a PIT table: one per UTC day on which its parent or its satellites gained a
  row — the newest load_ts of that day. So:
  - the first build already has a snapshot (a PIT over `as_of: daily` has none until the day after the
    first load: its midnight snapshots only cover what was loaded before each midnight);
  - loading the same data again adds no snapshot (nothing changed, no new row anywhere), so a rerun
    adds no PIT row;
  - a change adds a snapshot at its load time; the newest snapshot of a day is the state at the end of
    that day, and a day without a snapshot is in the state of the one before it (marts fill forward).
  Pass the parent and every satellite of the PIT, as relations (ref(...)). Ghost records are left out.
-#}
{% macro pit_as_of_change_days(relations) -%}
select max(load_ts) as as_of_ts
from (
    {%- for relation in relations %}
    select load_ts from {{ relation }} where load_ts > timestamp '0001-01-01 00:00:00'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
) as changes
group by cast(load_ts as date)
{%- endmacro %}
