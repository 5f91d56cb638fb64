-- Recomputes invoice_month_totals for the months this import touches, from every imported line.
-- ip_typical_usd is the most common monthly figure per IP address among the month's IP lines
-- (matched or not; the higher figure on a tie): what the report compares with the IP constant.
WITH bounds AS (
    SELECT min(month) AS first_month, max(month) AS last_month FROM invoice_touched_months
), lm AS (
    -- Each line's figure per month it applies to. The arrays are unnested in the select list (in
    -- step with the month offsets), not by a LATERAL unnest in FROM: that is a function scan per line.
    SELECT (l.first_month + generate_series(0, cardinality(l.month_usd) - 1) * interval '1 month')::date AS month,
           l.kind, l.matched, l.ip_id, l.ip, l.service_id, unnest(l.month_usd) AS usd
      FROM invoice_lines l
     WHERE l.first_month BETWEEN (SELECT first_month FROM bounds) - interval '36 months' AND (SELECT last_month FROM bounds)
), g AS (
    -- One pass over the lines: sums and counts per month, match and kind, and per IP address for the
    -- IP lines (every other line has no ip_key), from which both the totals and the typical IP
    -- figure below are added up.
    SELECT month, matched, kind,
           CASE WHEN kind = 'ip' THEN COALESCE(ip_id::text, ip, 'service ' || service_id) END AS ip_key,
           sum(usd) AS usd, count(usd) AS n
      FROM lm
     WHERE month IN (SELECT month FROM invoice_touched_months)
     GROUP BY 1, 2, 3, 4
), per_ip AS (
    SELECT month, ip_key, sum(usd) AS usd FROM g WHERE kind = 'ip' GROUP BY month, ip_key
), typical AS (
    SELECT DISTINCT ON (month) month, usd FROM per_ip GROUP BY month, usd ORDER BY month, count(*) DESC, usd DESC
), fresh AS (
    SELECT tm.month,
           COALESCE(sum(g.usd), 0) AS total_usd,
           COALESCE(sum(g.n) FILTER (WHERE g.matched = 'ip'), 0)::int AS ip_lines,
           COALESCE(sum(g.usd) FILTER (WHERE g.matched = 'ip'), 0) AS ip_invoiced_usd,
           (SELECT y.usd FROM typical y WHERE y.month = tm.month) AS ip_typical_usd,
           COALESCE(sum(g.n) FILTER (WHERE g.matched = 'other'), 0)::int AS other_lines,
           COALESCE(sum(g.usd) FILTER (WHERE g.matched = 'other'), 0) AS other_spend_usd,
           COALESCE(sum(g.n) FILTER (WHERE g.matched IN ('unmatched', 'ambiguous')), 0)::int AS unmatched_lines,
           COALESCE(sum(g.usd) FILTER (WHERE g.matched IN ('unmatched', 'ambiguous')), 0) AS unmatched_usd
      FROM invoice_touched_months tm
      LEFT JOIN g ON g.month = tm.month
     GROUP BY tm.month
), upserted AS (
    INSERT INTO invoice_month_totals AS o (month, total_usd, ip_lines, ip_invoiced_usd, ip_typical_usd, other_lines,
                                           other_spend_usd, unmatched_lines, unmatched_usd)
    SELECT * FROM fresh
    ON CONFLICT (month) DO UPDATE
       SET total_usd = EXCLUDED.total_usd, ip_lines = EXCLUDED.ip_lines, ip_invoiced_usd = EXCLUDED.ip_invoiced_usd,
           ip_typical_usd = EXCLUDED.ip_typical_usd, other_lines = EXCLUDED.other_lines,
           other_spend_usd = EXCLUDED.other_spend_usd, unmatched_lines = EXCLUDED.unmatched_lines,
           unmatched_usd = EXCLUDED.unmatched_usd
     WHERE (o.total_usd, o.ip_lines, o.ip_invoiced_usd, o.ip_typical_usd, o.other_lines, o.other_spend_usd,
            o.unmatched_lines, o.unmatched_usd)
           IS DISTINCT FROM (EXCLUDED.total_usd, EXCLUDED.ip_lines, EXCLUDED.ip_invoiced_usd, EXCLUDED.ip_typical_usd,
            EXCLUDED.other_lines, EXCLUDED.other_spend_usd, EXCLUDED.unmatched_lines, EXCLUDED.unmatched_usd)
    RETURNING 1
)
SELECT count(*)::int AS written FROM upserted
