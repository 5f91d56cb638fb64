-- An invoice in the file replaces that invoice's lines whole (docs/invoices.md, "Corrections").
-- Before the merge: the months and VPS of the lines it replaces or removes are recomputed too (a
-- line moved from 2027-11 to 2026-11 leaves nothing behind in 2027-11), and the lines removed or
-- moved to other months are noted for the report. Lines are told apart by content, not position,
-- so dropping a line in the middle of an invoice reports that line, not the ones after it.
WITH old AS (
    SELECT l.* FROM invoice_lines l WHERE l.invoice_number IN (SELECT invoice_number FROM invoice_matched)
), stale AS (
    SELECT o.*
      FROM old o
      LEFT JOIN invoice_matched n ON n.invoice_number = o.invoice_number AND n.line_no = o.line_no
     WHERE n.invoice_number IS NULL
        OR (o.month_usd, o.first_month, o.vps_id, o.ip_id, o.matched, o.kind)
           IS DISTINCT FROM (n.month_usd, n.first_month, n.vps_id, n.ip_id, n.matched, n.kind)
), touched_months AS (
    INSERT INTO invoice_touched_months (month)
    SELECT DISTINCT (s.first_month + (m.n - 1) * interval '1 month')::date
      FROM stale s CROSS JOIN LATERAL generate_series(1, cardinality(s.month_usd)) AS m(n)
    ON CONFLICT DO NOTHING
    RETURNING 1
), touched_vps AS (
    INSERT INTO invoice_touched_vps (vps_id)
    SELECT DISTINCT vps_id FROM stale WHERE vps_id IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
), changed_invoices AS (
    SELECT DISTINCT invoice_number FROM stale
), old_keyed AS (
    -- The lines of the changed invoices, old and new, each under the texts of its content and charge
    -- (include/invoice-line-content.sql): "same line" and "same charge" below are then one equality
    -- each, which the planner hashes. Compared field by field with IS NOT DISTINCT FROM, each line was
    -- checked against every line of its invoice: a corrected 1M-line file of 100-line invoices took
    -- minutes here.
    SELECT l.*, /* @include invoice-line-content */
      FROM old l
     WHERE l.invoice_number IN (SELECT invoice_number FROM changed_invoices)
), new_keyed AS (
    SELECT l.*, /* @include invoice-line-content */
      FROM invoice_matched l
     WHERE l.invoice_number IN (SELECT invoice_number FROM changed_invoices)
), gone AS (
    SELECT o.* FROM old_keyed o
     WHERE NOT EXISTS (SELECT 1 FROM new_keyed n WHERE n.invoice_number = o.invoice_number AND n.content = o.content)
), came AS (
    SELECT n.* FROM new_keyed n
     WHERE NOT EXISTS (SELECT 1 FROM old_keyed o WHERE o.invoice_number = n.invoice_number AND o.content = n.content)
), moved AS (
    SELECT DISTINCT ON (g.invoice_number, g.line_no) g.invoice_number, g.line_no, g.description, g.amount_usd,
           g.first_month AS old_first, cardinality(g.month_usd) AS old_n, c.first_month AS new_first,
           cardinality(c.month_usd) AS new_n, c.file_line
      FROM gone g
      JOIN came c ON c.invoice_number = g.invoice_number AND c.charge = g.charge AND c.first_month <> g.first_month
     ORDER BY g.invoice_number, g.line_no, c.file_line
), noted AS (
    INSERT INTO invoice_corrections (change, invoice_number, line_no, description, amount_usd, old_months, new_months,
                                     new_file_line)
    SELECT 'moved', m.invoice_number, m.line_no, m.description, m.amount_usd,
           to_char(m.old_first, 'YYYY-MM') || CASE WHEN m.old_n > 1 THEN '..' || to_char(m.old_first + (m.old_n - 1) * interval '1 month', 'YYYY-MM') ELSE '' END,
           to_char(m.new_first, 'YYYY-MM') || CASE WHEN m.new_n > 1 THEN '..' || to_char(m.new_first + (m.new_n - 1) * interval '1 month', 'YYYY-MM') ELSE '' END,
           m.file_line
      FROM moved m
    UNION ALL
    SELECT 'removed', g.invoice_number, g.line_no, g.description, g.amount_usd,
           to_char(g.first_month, 'YYYY-MM') || CASE WHEN cardinality(g.month_usd) > 1 THEN '..' || to_char(g.first_month + (cardinality(g.month_usd) - 1) * interval '1 month', 'YYYY-MM') ELSE '' END,
           NULL, NULL
      FROM gone g
     WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.invoice_number = g.invoice_number AND m.line_no = g.line_no)
    RETURNING change
)
SELECT (SELECT count(*) FROM stale)::int AS stale,
       (SELECT count(*) FROM noted WHERE change = 'removed')::int AS removed,
       (SELECT count(*) FROM noted WHERE change = 'moved')::int AS moved,
       (SELECT count(*) FROM touched_months)::int AS months_added,
       (SELECT count(*) FROM touched_vps)::int AS vps_touched
