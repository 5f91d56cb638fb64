-- The file's first lines that matched nothing or more than one live VPS, for the import's report.
SELECT m.file_line, m.invoice_number, m.line_no, m.service_id, m.hostname, m.ip, m.kind, m.amount_usd::text,
       m.matched, m.candidates, m.untracked_serviceid
  FROM invoice_matched m
 WHERE m.matched IN ('unmatched', 'ambiguous')
 ORDER BY m.matched = 'unmatched', m.file_line
 LIMIT :limit
