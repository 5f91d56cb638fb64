-- vps_instances.monthly_cost takes each VPS's monthly equivalent of its latest invoiced month (of
-- every import, so an older file imported later never replaces a newer month's figure). A VPS is
-- written only when that figure differs from its monthly_cost and is not what the last fill already
-- wrote for that month (so a value the application set since is not overwritten by a re-import).
-- A month whose credits exceed its charges (below 0.00) is not a price: the latest month at or
-- above 0.00 is used. Each write is recorded in vps_monthly_cost_changes.
-- A correction that took away the month the last fill came from (a year typo fixed) lets the
-- latest month still invoiced decide again, even when it is older: otherwise the wrong month's
-- figure would stay for good.
WITH per_vps AS (
    -- One pass over the VPS months, grouped by VPS: whether a touched month invoiced it, and its
    -- latest month at or above 0.00 with that month's figure, as the largest [day number, figure]
    -- pair (arrays compare element by element, so the month decides; the figure comes with it).
    -- Three passes before (the touched VPS, their latest month, its figure looked up by key).
    SELECT m.vps_id,
           bool_or(m.invoiced_usd IS NOT NULL AND m.month IN (SELECT month FROM invoice_touched_months)) AS touched,
           max(ARRAY[m.month - date '2000-01-01', m.invoiced_usd])
               FILTER (WHERE m.invoiced_usd >= 0 AND m.invoiced_usd < 100000000) AS latest
      FROM invoice_vps_months m
     GROUP BY m.vps_id
), latest AS (
    SELECT p.vps_id, date '2000-01-01' + p.latest[1]::int AS month, p.latest[2] AS invoiced_usd
      FROM per_vps p
     WHERE p.latest IS NOT NULL AND (p.touched OR p.vps_id IN (SELECT vps_id FROM invoice_touched_vps))
), last_fill AS (
    SELECT DISTINCT ON (c.vps_id) c.vps_id, c.invoice_month, c.new_value
      FROM vps_monthly_cost_changes c
     WHERE c.vps_id IN (SELECT vps_id FROM latest)
     ORDER BY c.vps_id, c.id DESC
), todo AS (
    SELECT l.vps_id, l.month, l.invoiced_usd, v.monthly_cost AS old_value
      FROM latest l
      JOIN vps_instances v ON v.id = l.vps_id
      LEFT JOIN last_fill f ON f.vps_id = l.vps_id
     WHERE v.monthly_cost IS DISTINCT FROM l.invoiced_usd
       AND (f.vps_id IS NULL OR f.invoice_month < l.month OR (f.invoice_month = l.month AND f.new_value <> l.invoiced_usd)
            OR NOT EXISTS (SELECT 1 FROM invoice_vps_months x
                            WHERE x.vps_id = f.vps_id AND x.month = f.invoice_month AND x.invoiced_usd >= 0))
       FOR UPDATE OF v
), changed AS (
    UPDATE vps_instances v SET monthly_cost = t.invoiced_usd
      FROM todo t
     WHERE v.id = t.vps_id
    RETURNING v.id, t.old_value, v.monthly_cost AS new_value, t.month
), hist AS (
    INSERT INTO vps_monthly_cost_changes (vps_id, old_value, new_value, invoice_month, source, reason, changed_by)
    SELECT id, old_value, new_value, month, 'invoice', :reason, :changedBy FROM changed
    RETURNING 1
)
SELECT (SELECT count(*) FROM hist)::int AS changed
