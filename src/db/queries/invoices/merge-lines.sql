-- Writes the matched lines: each invoice of the file is replaced whole. A line already there with
-- the same content and match is left alone (importing a file again writes nothing); a line that
-- changed is updated; the invoice's lines beyond the file's are removed (corrections.sql noted them).
WITH up AS (
    INSERT INTO invoice_lines AS l (invoice_number, line_no, file_line, invoice_date, line_type, relid, service_id,
                                    service_id_source, hostname, hostname_source, ip, description, amount_usd, kind,
                                    category, period_start, period_end, monthly_method, monthly_usd, first_month,
                                    month_usd, matched, matched_by, vps_id, ip_id, candidates, untracked_serviceid,
                                    imported_by)
    SELECT invoice_number, line_no, file_line, invoice_date, line_type, relid, service_id, service_id_source, hostname,
           hostname_source, ip, description, amount_usd, kind, category, period_start, period_end, monthly_method,
           monthly_usd, first_month, month_usd, matched, matched_by, vps_id, ip_id, candidates, untracked_serviceid,
           :importedBy
      FROM invoice_matched
    ON CONFLICT (invoice_number, line_no) DO UPDATE
       SET file_line = EXCLUDED.file_line, invoice_date = EXCLUDED.invoice_date, line_type = EXCLUDED.line_type,
           relid = EXCLUDED.relid, service_id = EXCLUDED.service_id, service_id_source = EXCLUDED.service_id_source,
           hostname = EXCLUDED.hostname, hostname_source = EXCLUDED.hostname_source, ip = EXCLUDED.ip,
           description = EXCLUDED.description, amount_usd = EXCLUDED.amount_usd, kind = EXCLUDED.kind,
           category = EXCLUDED.category, period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
           monthly_method = EXCLUDED.monthly_method, monthly_usd = EXCLUDED.monthly_usd,
           first_month = EXCLUDED.first_month, month_usd = EXCLUDED.month_usd, matched = EXCLUDED.matched,
           matched_by = EXCLUDED.matched_by, vps_id = EXCLUDED.vps_id, ip_id = EXCLUDED.ip_id,
           candidates = EXCLUDED.candidates, untracked_serviceid = EXCLUDED.untracked_serviceid,
           imported_by = EXCLUDED.imported_by, imported_at = now()
     WHERE (l.invoice_date, l.line_type, l.relid, l.service_id, l.service_id_source, l.hostname, l.hostname_source,
            l.ip, l.description, l.amount_usd, l.kind, l.category, l.period_start, l.period_end, l.monthly_method,
            l.monthly_usd, l.first_month, l.month_usd, l.matched, l.matched_by, l.vps_id, l.ip_id, l.candidates,
            l.untracked_serviceid)
           IS DISTINCT FROM
           (EXCLUDED.invoice_date, EXCLUDED.line_type, EXCLUDED.relid, EXCLUDED.service_id,
            EXCLUDED.service_id_source, EXCLUDED.hostname, EXCLUDED.hostname_source, EXCLUDED.ip,
            EXCLUDED.description, EXCLUDED.amount_usd, EXCLUDED.kind, EXCLUDED.category, EXCLUDED.period_start,
            EXCLUDED.period_end, EXCLUDED.monthly_method, EXCLUDED.monthly_usd, EXCLUDED.first_month,
            EXCLUDED.month_usd, EXCLUDED.matched, EXCLUDED.matched_by, EXCLUDED.vps_id, EXCLUDED.ip_id,
            EXCLUDED.candidates, EXCLUDED.untracked_serviceid)
    RETURNING (xmax = 0) AS inserted
), beyond AS (
    DELETE FROM invoice_lines l
     USING (SELECT invoice_number, max(line_no) AS last FROM invoice_matched GROUP BY invoice_number) f
     WHERE l.invoice_number = f.invoice_number AND l.line_no > f.last
    RETURNING 1
)
SELECT (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
       (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
       (SELECT count(*) FROM beyond)::int AS deleted,
       count(*)::int AS lines,
       count(DISTINCT invoice_number)::int AS invoices,
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
