-- Writes the matched lines: each invoice of the file is replaced whole. A line already there with
-- the same content and match is left alone (importing a file again writes nothing); a line that
-- changed is updated; a new line is inserted; the invoice's lines beyond the file's are removed
-- (corrections.sql noted them). The three touch disjoint rows, so one statement does all of them.
WITH changed AS (
    -- A line already there (same invoice and number) whose content or match differs: updated in place.
    UPDATE invoice_lines AS l
       SET file_line = n.file_line, invoice_date = n.invoice_date, line_type = n.line_type, relid = n.relid,
           service_id = n.service_id, service_id_source = n.service_id_source, hostname = n.hostname,
           hostname_source = n.hostname_source, ip = n.ip, description = n.description, amount_usd = n.amount_usd,
           kind = n.kind, category = n.category, period_start = n.period_start, period_end = n.period_end,
           monthly_method = n.monthly_method, monthly_usd = n.monthly_usd, first_month = n.first_month,
           month_usd = n.month_usd, matched = n.matched, matched_by = n.matched_by, vps_id = n.vps_id,
           ip_id = n.ip_id, candidates = n.candidates::text[], untracked_serviceid = n.untracked_serviceid,
           imported_by = :importedBy, imported_at = now()
      FROM invoice_matched n
     WHERE n.present AND l.invoice_number = n.invoice_number AND l.line_no = n.line_no
       AND (l.invoice_date, l.line_type, l.relid, l.service_id, l.service_id_source, l.hostname, l.hostname_source,
            l.ip, l.description, l.amount_usd, l.kind, l.category, l.period_start, l.period_end, l.monthly_method,
            l.monthly_usd, l.first_month, l.month_usd, l.matched, l.matched_by, l.vps_id, l.ip_id, l.candidates,
            l.untracked_serviceid)
           IS DISTINCT FROM
           (n.invoice_date, n.line_type, n.relid, n.service_id, n.service_id_source, n.hostname, n.hostname_source,
            n.ip, n.description, n.amount_usd, n.kind, n.category, n.period_start, n.period_end, n.monthly_method,
            n.monthly_usd, n.first_month, n.month_usd, n.matched, n.matched_by, n.vps_id, n.ip_id, n.candidates::text[],
            n.untracked_serviceid)
    RETURNING 1
), added AS (
    -- A line not there yet (match-lines.sql looked): a plain INSERT (an upsert probes the primary key
    -- once more per row, which cost more than the insert itself). One import runs at a time
    -- (begin-import.sql), so no other transaction adds these keys meanwhile. No RETURNING: it inserts
    -- every line not present, counted below from invoice_matched (returning a row per inserted line
    -- kept 1M rows in a tuplestore to count them); it runs to completion unread all the same.
    INSERT INTO invoice_lines (invoice_number, line_no, file_line, invoice_date, line_type, relid, service_id,
                                  service_id_source, hostname, hostname_source, ip, description, amount_usd, kind,
                                  category, period_start, period_end, monthly_method, monthly_usd, first_month,
                                  month_usd, matched, matched_by, vps_id, ip_id, candidates, untracked_serviceid,
                                  imported_by)
    SELECT n.invoice_number, n.line_no, n.file_line, n.invoice_date, n.line_type, n.relid, n.service_id,
           n.service_id_source, n.hostname, n.hostname_source, n.ip, n.description, n.amount_usd, n.kind, n.category,
           n.period_start, n.period_end, n.monthly_method, n.monthly_usd, n.first_month, n.month_usd, n.matched,
           n.matched_by, n.vps_id, n.ip_id, n.candidates, n.untracked_serviceid, :importedBy
      FROM invoice_matched n
     WHERE NOT n.present
), beyond AS (
    DELETE FROM invoice_lines l
     USING (SELECT invoice_number, max(line_no) AS last FROM invoice_matched GROUP BY invoice_number) f
     WHERE l.invoice_number = f.invoice_number AND l.line_no > f.last
    RETURNING 1
)
SELECT count(*) FILTER (WHERE NOT present)::int AS inserted,
       (SELECT count(*) FROM changed)::int AS updated,
       (SELECT count(*) FROM beyond)::int AS deleted,
       count(*)::int AS lines,
       -- Every invoice has a line 1 (match-lines.sql numbers them): no sort of the invoice numbers.
       count(*) FILTER (WHERE line_no = 1)::int AS invoices,
       count(*) FILTER (WHERE matched = 'vps' AND matched_by = 'service_id')::int AS vps_by_service_id,
       count(*) FILTER (WHERE matched = 'vps' AND matched_by = 'ip')::int AS vps_by_ip,
       count(*) FILTER (WHERE matched = 'vps' AND matched_by = 'hostname')::int AS vps_by_hostname,
       count(*) FILTER (WHERE matched = 'ip' AND matched_by = 'ip')::int AS ip_by_ip,
       count(*) FILTER (WHERE matched = 'ip' AND matched_by = 'service_id')::int AS ip_by_service_id,
       count(*) FILTER (WHERE matched = 'ip' AND matched_by = 'hostname')::int AS ip_by_hostname,
       count(*) FILTER (WHERE matched = 'other')::int AS other,
       count(*) FILTER (WHERE matched = 'ambiguous')::int AS ambiguous,
       count(*) FILTER (WHERE matched = 'unmatched')::int AS unmatched,
       count(*) FILTER (WHERE untracked_serviceid IS NOT NULL)::int AS untracked
  FROM invoice_matched
