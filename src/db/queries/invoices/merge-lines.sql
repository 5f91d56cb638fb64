-- Matches the staged lines and upserts them (docs/invoices.md, "Matching"). A line already there
-- with the same content and match is left alone, so importing a file again writes nothing.
--   vps lines: service_id -> vps_instances.hostwinds_instance_id (digits without leading zeros),
--              else ip -> vps_instances.ip_address;
--   ip lines:  ip -> smtp_ip_addresses.ip_address (and its VPS), else service_id -> the VPS;
--   other lines are fleet-level spend and never matched.
-- A line that matches nothing may still name an instance of the latest reconciliation's untracked
-- list, by service id or by host name (vps_instances has no host name column).
-- Where two rows share a service id or an address, a live row goes before a decommissioned one.
WITH sid AS (
    SELECT DISTINCT ON (k) k, id
      FROM (SELECT ltrim(v.hostwinds_instance_id, '0') AS k, v.id, v.status FROM vps_instances v) x
     WHERE k IN (SELECT service_id FROM invoice_staging)
     ORDER BY k, status = 'decommissioned', id
), vps_ip AS (
    SELECT DISTINCT ON (k) k, id
      FROM (SELECT lower(btrim(v.ip_address)) AS k, v.id, v.status FROM vps_instances v) x
     WHERE k IN (SELECT ip FROM invoice_staging)
     ORDER BY k, status = 'decommissioned', id
), smtp_ip AS (
    SELECT DISTINCT ON (k) k, id, vps_instance_id
      FROM (SELECT lower(btrim(i.ip_address)) AS k, i.id, i.vps_instance_id FROM smtp_ip_addresses i) x
     WHERE k IN (SELECT ip FROM invoice_staging)
     ORDER BY k, vps_instance_id IS NULL, id
), untracked AS (
    SELECT u.serviceid, ltrim(u.serviceid, '0') AS sid, rtrim(lower(u.hostname), '.') AS hostname
      FROM cost_untracked_instances u
     WHERE u.run_id = (SELECT run_id FROM cost_untracked_latest)
), matched AS (
    SELECT s.*,
           CASE WHEN s.kind = 'other' THEN 'other'
                WHEN s.kind = 'vps' AND COALESCE(bs.id, bv.id) IS NOT NULL THEN 'vps'
                WHEN s.kind = 'ip' AND COALESCE(bi.id, bs.id) IS NOT NULL THEN 'ip'
                ELSE 'unmatched' END AS matched,
           CASE WHEN s.kind = 'vps' THEN CASE WHEN bs.id IS NOT NULL THEN 'service_id' WHEN bv.id IS NOT NULL THEN 'ip' END
                WHEN s.kind = 'ip' THEN CASE WHEN bi.id IS NOT NULL THEN 'ip' WHEN bs.id IS NOT NULL THEN 'service_id' END
                END AS matched_by,
           CASE WHEN s.kind = 'vps' THEN COALESCE(bs.id, bv.id)
                WHEN s.kind = 'ip' THEN CASE WHEN bi.id IS NOT NULL THEN bi.vps_instance_id ELSE bs.id END END AS vps_id,
           CASE WHEN s.kind = 'ip' THEN bi.id END AS ip_id,
           CASE WHEN s.kind <> 'other' AND COALESCE(bs.id, bv.id, bi.id) IS NULL
                THEN COALESCE((SELECT u.serviceid FROM untracked u WHERE u.sid = s.service_id LIMIT 1),
                              (SELECT u.serviceid FROM untracked u WHERE u.hostname = s.hostname LIMIT 1)) END
               AS untracked_serviceid
      FROM invoice_staging s
      LEFT JOIN sid bs ON bs.k = s.service_id
      LEFT JOIN vps_ip bv ON bv.k = s.ip
      LEFT JOIN smtp_ip bi ON bi.k = s.ip
), up AS (
    INSERT INTO invoice_lines AS l (invoice_number, line_no, file_line, invoice_date, service_id, hostname, ip,
                                    description, amount_usd, kind, category, period_start, period_end,
                                    monthly_method, monthly_usd, first_month, month_usd, matched, matched_by,
                                    vps_id, ip_id, untracked_serviceid, imported_by)
    SELECT invoice_number, line_no, file_line, invoice_date, service_id, hostname, ip, description, amount_usd, kind,
           category, period_start, period_end, monthly_method, monthly_usd, first_month, month_usd, matched,
           matched_by, vps_id, ip_id, untracked_serviceid, :importedBy
      FROM matched
    ON CONFLICT (invoice_number, line_no) DO UPDATE
       SET file_line = EXCLUDED.file_line, invoice_date = EXCLUDED.invoice_date, service_id = EXCLUDED.service_id,
           hostname = EXCLUDED.hostname, ip = EXCLUDED.ip, description = EXCLUDED.description,
           amount_usd = EXCLUDED.amount_usd, kind = EXCLUDED.kind, category = EXCLUDED.category,
           period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
           monthly_method = EXCLUDED.monthly_method, monthly_usd = EXCLUDED.monthly_usd,
           first_month = EXCLUDED.first_month, month_usd = EXCLUDED.month_usd, matched = EXCLUDED.matched,
           matched_by = EXCLUDED.matched_by, vps_id = EXCLUDED.vps_id, ip_id = EXCLUDED.ip_id,
           untracked_serviceid = EXCLUDED.untracked_serviceid, imported_by = EXCLUDED.imported_by,
           imported_at = now()
     WHERE (l.invoice_date, l.service_id, l.hostname, l.ip, l.description, l.amount_usd, l.kind, l.category,
            l.period_start, l.period_end, l.monthly_method, l.monthly_usd, l.first_month, l.month_usd, l.matched,
            l.matched_by, l.vps_id, l.ip_id, l.untracked_serviceid)
           IS DISTINCT FROM
           (EXCLUDED.invoice_date, EXCLUDED.service_id, EXCLUDED.hostname, EXCLUDED.ip, EXCLUDED.description,
            EXCLUDED.amount_usd, EXCLUDED.kind, EXCLUDED.category, EXCLUDED.period_start, EXCLUDED.period_end,
            EXCLUDED.monthly_method, EXCLUDED.monthly_usd, EXCLUDED.first_month, EXCLUDED.month_usd,
            EXCLUDED.matched, EXCLUDED.matched_by, EXCLUDED.vps_id, EXCLUDED.ip_id, EXCLUDED.untracked_serviceid)
    RETURNING (xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
       (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
       count(*)::int AS lines,
       count(*) FILTER (WHERE matched = 'vps' AND matched_by = 'service_id')::int AS vps_by_service_id,
       count(*) FILTER (WHERE matched = 'vps' AND matched_by = 'ip')::int AS vps_by_ip,
       count(*) FILTER (WHERE matched = 'ip' AND matched_by = 'ip')::int AS ip_by_ip,
       count(*) FILTER (WHERE matched = 'ip' AND matched_by = 'service_id')::int AS ip_by_service_id,
       count(*) FILTER (WHERE matched = 'other')::int AS other,
       count(*) FILTER (WHERE matched = 'unmatched')::int AS unmatched,
       count(*) FILTER (WHERE untracked_serviceid IS NOT NULL)::int AS untracked
  FROM matched
