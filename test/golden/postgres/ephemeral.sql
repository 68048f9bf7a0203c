with __vl_ephemeral__eph_a as (
  select 1 as id
),
__vl_ephemeral__eph_b as (
  select * from __vl_ephemeral__eph_a -- trailing
)
select * from __vl_ephemeral__eph_b;
