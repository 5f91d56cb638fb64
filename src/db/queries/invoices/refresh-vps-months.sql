-- Recomputes invoice_vps_months for the months this import touches, from every imported line
-- (not only this file's), so the order files are imported in does not matter.
-- Modelled = the VPS's approximate_cost in effect at the end of the month: the last cost_history
-- change before the month ended, else the value before the first change after it (old_value),
-- else the current value (a VPS whose cost never changed). docs/invoices.md, "Drift".
-- A VPS is listed when invoiced that month, or when it existed then and was modelled above 0.00.
WITH bounds AS (
    SELECT min(month) AS first_month, max(month) AS last_month FROM invoice_touched_months
), invoiced AS (
    SELECT (l.first_month + (m.n - 1) * interval '1 month')::date AS month, l.vps_id,
           sum(m.usd) AS usd, count(*)::int AS lines
      FROM invoice_lines l
     CROSS JOIN LATERAL unnest(l.month_usd) WITH ORDINALITY AS m(usd, n)
     WHERE l.matched = 'vps'
       AND l.first_month BETWEEN (SELECT first_month FROM bounds) - interval '36 months' AND (SELECT last_month FROM bounds)
     GROUP BY 1, 2
), hist AS (
    -- Per touched month and VPS with history: the change that decides the month (set-based: one
    -- sort of the history against the few touched months, not one lookup per VPS and month).
    SELECT DISTINCT ON (t.month, c.resource_id) t.month, c.resource_id AS vps_id,
           c.changed_at < t.month + interval '1 month' AS before_end,
           CASE WHEN c.changed_at < t.month + interval '1 month' THEN c.new_value ELSE c.old_value END AS usd
      FROM invoice_touched_months t
      JOIN cost_history c ON c.resource_kind = 'vps'
     ORDER BY t.month, c.resource_id, c.changed_at < t.month + interval '1 month' DESC,
              abs(extract(epoch FROM c.changed_at - (t.month + interval '1 month'))),
              CASE WHEN c.changed_at < t.month + interval '1 month' THEN -c.id ELSE c.id END
), modelled AS (
    SELECT t.month, v.id AS vps_id, (v.created IS NULL OR v.created < t.month + interval '1 month') AS existed,
           CASE WHEN h.before_end IS NOT NULL THEN h.usd ELSE v.approximate_cost END AS usd,
           CASE WHEN h.before_end THEN 'cost_history: last change before the month ended'
                WHEN h.before_end = false THEN 'cost_history: value before the next change'
                ELSE 'current approximate_cost (never changed)' END AS modelled_from
      FROM invoice_touched_months t
     CROSS JOIN vps_instances v
      LEFT JOIN hist h ON h.month = t.month AND h.vps_id = v.id
), fresh AS (
    SELECT m.month, m.vps_id, i.usd AS invoiced_usd, COALESCE(i.lines, 0) AS invoice_lines,
           m.usd AS modelled_usd, m.modelled_from
      FROM modelled m
      LEFT JOIN invoiced i ON i.month = m.month AND i.vps_id = m.vps_id
     WHERE i.vps_id IS NOT NULL OR (m.existed AND m.usd > 0)
), upserted AS (
    INSERT INTO invoice_vps_months AS o (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
    SELECT month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from FROM fresh
    -- In key order: the primary key's pages are then probed and filled one after another, not all over it.
     ORDER BY month, vps_id
    ON CONFLICT (month, vps_id) DO UPDATE
       SET invoiced_usd = EXCLUDED.invoiced_usd, invoice_lines = EXCLUDED.invoice_lines,
           modelled_usd = EXCLUDED.modelled_usd, modelled_from = EXCLUDED.modelled_from
     WHERE (o.invoiced_usd, o.invoice_lines, o.modelled_usd, o.modelled_from)
           IS DISTINCT FROM (EXCLUDED.invoiced_usd, EXCLUDED.invoice_lines, EXCLUDED.modelled_usd, EXCLUDED.modelled_from)
    RETURNING 1
), removed AS (
    DELETE FROM invoice_vps_months o
     USING invoice_touched_months t
     WHERE o.month = t.month
       AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.month = o.month AND f.vps_id = o.vps_id)
    RETURNING 1
)
SELECT (SELECT count(*) FROM upserted)::int AS written, (SELECT count(*) FROM removed)::int AS removed
