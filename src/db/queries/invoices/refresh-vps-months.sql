-- Recomputes invoice_vps_months for the months this import touches, from every imported line
-- (not only this file's), so the order files are imported in does not matter.
-- Modelled = the VPS's approximate_cost in effect at the end of the month: the last cost_history
-- change before the month ended, else the value before the first change after it (old_value),
-- else the current value (a VPS whose cost never changed). docs/invoices.md, "Drift".
-- A VPS is listed when invoiced that month, or when it existed then and was modelled above 0.00.
WITH bounds AS (
    SELECT min(month) AS first_month, max(month) AS last_month FROM invoice_touched_months
), line_months AS (
    -- Each VPS line's figure per month it applies to. The arrays are unnested in the select list
    -- (in step with the month offsets), not by a LATERAL unnest in FROM: that is a function scan per line.
    SELECT (l.first_month + generate_series(0, cardinality(l.month_usd) - 1) * interval '1 month')::date AS month,
           l.vps_id, unnest(l.month_usd) AS usd
      FROM invoice_lines l
     WHERE l.matched = 'vps'
       AND l.first_month BETWEEN (SELECT first_month FROM bounds) - interval '36 months' AND (SELECT last_month FROM bounds)
), invoiced AS (
    SELECT month, vps_id, sum(usd) AS usd, count(*)::int AS lines
      FROM line_months
     WHERE month IN (SELECT month FROM invoice_touched_months)
     GROUP BY month, vps_id
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
), diff AS (
    -- The fresh rows against the rows the touched months hold, in one join: a row is inserted, updated
    -- (only when a figure differs) or deleted, and a row that is unchanged is not written. Plain
    -- INSERT and UPDATE instead of an upsert, whose per-row speculative insertion and second probe
    -- of the primary key cost as much as the write. One import runs at a time (begin-import.sql) and
    -- only imports write this table, so no other transaction adds or removes these rows meanwhile.
    SELECT f.month, f.vps_id, f.invoiced_usd, f.invoice_lines, f.modelled_usd, f.modelled_from,
           o.month AS old_month, o.vps_id AS old_vps_id
      FROM fresh f
      FULL JOIN (SELECT o.* FROM invoice_vps_months o WHERE o.month IN (SELECT month FROM invoice_touched_months)) o
        ON o.month = f.month AND o.vps_id = f.vps_id
     WHERE f.month IS NULL OR o.month IS NULL
        OR (o.invoiced_usd, o.invoice_lines, o.modelled_usd, o.modelled_from)
           IS DISTINCT FROM (f.invoiced_usd, f.invoice_lines, f.modelled_usd, f.modelled_from)
), inserted AS (
    INSERT INTO invoice_vps_months (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
    SELECT month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from FROM diff
     WHERE old_month IS NULL
    -- In key order: the primary key's pages are then filled one after another, not all over it.
     ORDER BY month, vps_id
    RETURNING 1
), updated AS (
    UPDATE invoice_vps_months o
       SET invoiced_usd = d.invoiced_usd, invoice_lines = d.invoice_lines, modelled_usd = d.modelled_usd,
           modelled_from = d.modelled_from
      FROM diff d
     WHERE d.month IS NOT NULL AND d.old_month IS NOT NULL AND o.month = d.old_month AND o.vps_id = d.old_vps_id
    RETURNING 1
), removed AS (
    DELETE FROM invoice_vps_months o
     USING diff d
     WHERE d.month IS NULL AND o.month = d.old_month AND o.vps_id = d.old_vps_id
    RETURNING 1
)
SELECT ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM updated))::int AS written,
       (SELECT count(*) FROM removed)::int AS removed
