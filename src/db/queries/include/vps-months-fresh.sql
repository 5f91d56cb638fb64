-- Included by refresh-vps-months.sql and insert-vps-months.sql (`/* @include vps-months-fresh */`
-- after their WITH): the CTEs up to `fresh`, the rows the touched months should hold, one per month
-- and VPS, the rule written once for both.
-- Modelled = the VPS's approximate_cost in effect at the end of the month: the last cost_history
-- change before the month ended, else the value before the first change after it (old_value),
-- else the current value (a VPS whose cost never changed). docs/invoices.md, "Drift".
-- A VPS is listed when invoiced that month, or when it existed then and was modelled above 0.00.
bounds AS (
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
    -- Grouped from the line months sorted by month and VPS (a sort, then one pass): a hash aggregate
    -- of a first import's 850,000 groups, planned for a fraction of them, outgrew work_mem and
    -- spilled in batches, which cost more than the sort. The groups then come in the order the
    -- fresh rows below look them up in.
    SELECT month, vps_id, sum(usd) AS usd, count(*)::int AS lines
      FROM (SELECT * FROM line_months WHERE month IN (SELECT month FROM invoice_touched_months)
             ORDER BY month, vps_id) lm
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
), vps AS MATERIALIZED (
    SELECT id, created, approximate_cost FROM vps_instances ORDER BY id
), modelled AS (
    -- Month by month, each month's VPS in id order (the sorted VPS read once per month, the lateral
    -- reference keeping the months outside): the joins below keep that order, so the rows come in
    -- the primary key's order and are inserted without a sort of them all. Not relied on: only
    -- the insert's speed depends on it (in random order it dirties index pages all over the key).
    SELECT t.month, v.id AS vps_id, (v.created IS NULL OR v.created < t.month + interval '1 month') AS existed,
           CASE WHEN h.before_end IS NOT NULL THEN h.usd ELSE v.approximate_cost END AS usd,
           CASE WHEN h.before_end THEN 'cost_history: last change before the month ended'
                WHEN h.before_end = false THEN 'cost_history: value before the next change'
                ELSE 'current approximate_cost (never changed)' END AS modelled_from
      FROM (SELECT month FROM invoice_touched_months ORDER BY month) t
     CROSS JOIN LATERAL (SELECT * FROM vps WHERE t.month IS NOT NULL OFFSET 0) v
      LEFT JOIN hist h ON h.month = t.month AND h.vps_id = v.id
), fresh AS (
    SELECT m.month, m.vps_id, i.usd AS invoiced_usd, COALESCE(i.lines, 0) AS invoice_lines,
           m.usd AS modelled_usd, m.modelled_from
      FROM modelled m
      LEFT JOIN invoiced i ON i.month = m.month AND i.vps_id = m.vps_id
     WHERE i.vps_id IS NOT NULL OR (m.existed AND m.usd > 0)
)
