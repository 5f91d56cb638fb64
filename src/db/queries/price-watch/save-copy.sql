-- Replaces the kept copy with the catalogue just read (plans and cycles no longer offered leave it).
WITH incoming AS (
    SELECT x.rid, x.cycle, x.price::numeric AS price
      FROM jsonb_to_recordset(:prices::jsonb) AS x(rid text, cycle text, price text)
), gone AS (
    DELETE FROM cost_catalogue_prices p
     WHERE NOT EXISTS (SELECT 1 FROM incoming i WHERE i.rid = p.rid AND i.cycle = p.billing_cycle)
)
INSERT INTO cost_catalogue_prices (rid, billing_cycle, price, seen_at)
SELECT rid, cycle, price, now() FROM incoming
    ON CONFLICT (rid, billing_cycle) DO UPDATE SET price = excluded.price, seen_at = excluded.seen_at
