-- The file's first lines that matched nothing, for the import's report.
SELECT s.file_line, s.invoice_number, s.line_no, s.service_id, s.hostname, s.ip, s.kind, s.amount_usd::text,
       l.untracked_serviceid
  FROM invoice_staging s
  JOIN invoice_lines l ON l.invoice_number = s.invoice_number AND l.line_no = s.line_no
 WHERE l.matched = 'unmatched'
 ORDER BY s.file_line
 LIMIT :limit
