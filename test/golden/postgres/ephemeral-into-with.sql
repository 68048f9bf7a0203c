with __vl_ephemeral__eph_a as (
  select 1 as id
),
x as (select * from __vl_ephemeral__eph_a)
select * from x;
