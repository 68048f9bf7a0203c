-- Every item is counted once in category_summary: its totals must equal dim_items'.
with summary as (
    select sum(item_count) as item_total, sum(total_price_cents) as cents_total
    from "marts"."category_summary"
),
detail as (
    select count(*) as item_total, sum(price_cents) as cents_total
    from "marts"."dim_items"
)
select summary.*, detail.item_total as detail_items, detail.cents_total as detail_cents
from summary, detail
where summary.item_total <> detail.item_total
   or summary.cents_total <> detail.cents_total
