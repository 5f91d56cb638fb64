-- report invoices: the lines applying to the month that matched nothing, or more than one live VPS
-- (ambiguous, with the candidates' serviceids), with their figure for it.
SELECT l.invoice_number, l.line_no, l.invoice_date::text, l.line_type, l.kind, l.matched, l.service_id, l.ip,
       l.hostname, array_to_string(l.candidates, ' ') AS candidates, l.untracked_serviceid, m.usd::text AS month_usd,
       l.amount_usd::text, l.description
  FROM invoice_lines l
 CROSS JOIN LATERAL unnest(l.month_usd) WITH ORDINALITY AS m(usd, n)
 WHERE l.matched IN ('unmatched', 'ambiguous')
   AND l.first_month BETWEEN :month::date - interval '36 months' AND :month::date
   AND (l.first_month + (m.n - 1) * interval '1 month')::date = :month::date
 ORDER BY l.invoice_number, l.line_no
