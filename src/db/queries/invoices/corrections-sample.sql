-- The lines a correction removed or moved to other months, for the import's report.
SELECT change, invoice_number, line_no, description, amount_usd::text, old_months, new_months, new_file_line
  FROM invoice_corrections
 ORDER BY change, invoice_number, line_no
 LIMIT :limit
