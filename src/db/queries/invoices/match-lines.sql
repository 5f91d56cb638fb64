-- Numbers the staged lines within their invoice (file order) and matches each (docs/invoices.md,
-- "Matching"), into a temporary table the merge and the corrections read:
--   vps lines: service_id (or a Hosting relid) -> vps_instances.hostwinds_instance_id, else ip ->
--              vps_instances.ip_address, else host name -> the latest reconciliation's listing -> serviceid;
--   ip lines:  ip -> smtp_ip_addresses.ip_address (and its VPS), else service_id, else host name -> the VPS;
--   other lines are fleet-level spend and never matched.
-- The first key the line has that names any row decides; a key naming more than one live VPS makes
-- the line 'ambiguous' (its candidates kept, attributed to none), never a silent pick. A live row
-- goes before a decommissioned one. An unmatched line may still name an untracked instance.
CREATE TEMP TABLE invoice_matched ON COMMIT DROP AS
WITH keys AS MATERIALIZED (
    -- The file's distinct keys, from one read of the staged lines: each lookup below is narrowed to
    -- them (rather than reading and hashing the whole file once per key column), and a line's match
    -- depends on nothing else, so the keys are matched (decided below), not the lines.
    SELECT DISTINCT kind, service_id, ip, hostname FROM invoice_staging
), listed AS (
    SELECT DISTINCT ltrim(l.serviceid, '0') AS sid, rtrim(lower(l.hostname), '.') AS hostname
      FROM cost_listed_instances l
     WHERE l.run_id = (SELECT run_id FROM cost_untracked_latest)
       AND rtrim(lower(l.hostname), '.') IN (SELECT hostname FROM keys)
), vps_keys AS (
    SELECT 'service_id' AS by, ltrim(v.hostwinds_instance_id, '0') AS k, v.id, v.status, v.hostwinds_instance_id AS sid
      FROM vps_instances v WHERE ltrim(v.hostwinds_instance_id, '0') IN (SELECT service_id FROM keys)
    UNION ALL
    SELECT 'ip', lower(btrim(v.ip_address)), v.id, v.status, v.hostwinds_instance_id
      FROM vps_instances v WHERE lower(btrim(v.ip_address)) IN (SELECT ip FROM keys)
    UNION ALL
    SELECT 'hostname', l.hostname, v.id, v.status, v.hostwinds_instance_id
      FROM listed l JOIN vps_instances v ON ltrim(v.hostwinds_instance_id, '0') = l.sid
), vps_key AS (
    SELECT by, k,
           count(*) FILTER (WHERE status IS DISTINCT FROM 'decommissioned') AS live,
           (array_agg(id ORDER BY status IS NOT DISTINCT FROM 'decommissioned', id))[1] AS id,
           array_agg(sid ORDER BY sid) FILTER (WHERE status IS DISTINCT FROM 'decommissioned') AS live_sids
      FROM vps_keys GROUP BY by, k
), smtp_key AS (
    SELECT lower(btrim(i.ip_address)) AS k,
           count(DISTINCT i.vps_instance_id) AS vps_count,
           (array_agg(i.id ORDER BY i.vps_instance_id IS NULL, i.id))[1] AS id,
           (array_agg(i.vps_instance_id ORDER BY i.vps_instance_id IS NULL, i.id))[1] AS vps_id,
           array_agg(DISTINCT v.hostwinds_instance_id) FILTER (WHERE v.id IS NOT NULL) AS sids
      FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
     WHERE lower(btrim(i.ip_address)) IN (SELECT ip FROM keys)
     GROUP BY 1
), untracked AS (
    SELECT u.serviceid, ltrim(u.serviceid, '0') AS sid, rtrim(lower(u.hostname), '.') AS hostname
      FROM cost_untracked_instances u
     WHERE u.run_id = (SELECT run_id FROM cost_untracked_latest)
), untracked_by_sid AS (
    -- One untracked instance per key, joined by hash (a lookup per unmatched line was a subplan run per line).
    SELECT DISTINCT ON (sid) sid, serviceid FROM untracked ORDER BY sid, serviceid
), untracked_by_host AS (
    SELECT DISTINCT ON (hostname) hostname, serviceid FROM untracked WHERE hostname IS NOT NULL
     ORDER BY hostname, serviceid
), runs AS (
    -- The line number is the line's place in its run of consecutive lines of the invoice (the reader
    -- counted it: invoice-staging.ts) plus the lines of the invoice's earlier runs. Only the runs'
    -- first lines are read on (one per invoice in a file that keeps an invoice's lines together):
    -- sorting the file's 1M (invoice_number, file_line) spilled to disk, and joining the number back
    -- on file_line hashed all of them. A run's length is where the next one starts (the file's last
    -- run is no invoice's earlier run). A filter, not a GROUP BY: the planner keeps the staged
    -- column's statistics for run, and hashes these few rows rather than the joined file.
    SELECT run, invoice_number, lead(run) OVER (ORDER BY run) - run AS n
      FROM invoice_staging WHERE run_line = 1
), run_offsets AS (
    -- Partitioned under the "C" collation: the same partitions (equal is equal bytes either way),
    -- but the sort compares bytes instead of calling the locale's collation per comparison.
    SELECT run, COALESCE(sum(n) OVER (PARTITION BY invoice_number COLLATE "C" ORDER BY run
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS before
      FROM runs
), picked AS (
    SELECT k.*,
           CASE WHEN k.kind = 'other' THEN NULL
                WHEN k.kind = 'ip' AND bi.k IS NOT NULL THEN 'ip'
                WHEN bs.k IS NOT NULL THEN 'service_id'
                WHEN k.kind = 'vps' AND bv.k IS NOT NULL THEN 'ip'
                WHEN bh.k IS NOT NULL THEN 'hostname' END AS by,
           bs.id AS s_id, bs.live AS s_live, bs.live_sids AS s_sids, bv.id AS v_id, bv.live AS v_live,
           bv.live_sids AS v_sids, bh.id AS h_id, bh.live AS h_live, bh.live_sids AS h_sids,
           bi.id AS i_id, bi.vps_id AS i_vps, bi.vps_count AS i_count, bi.sids AS i_sids
      FROM keys k
      LEFT JOIN vps_key bs ON bs.by = 'service_id' AND bs.k = k.service_id
      LEFT JOIN vps_key bv ON bv.by = 'ip' AND bv.k = k.ip
      LEFT JOIN vps_key bh ON bh.by = 'hostname' AND bh.k = k.hostname
      LEFT JOIN smtp_key bi ON bi.k = k.ip
), decided AS (
    SELECT p.*,
           CASE p.by WHEN 'service_id' THEN CASE WHEN p.s_live > 1 THEN p.s_sids END
                     WHEN 'hostname' THEN CASE WHEN p.h_live > 1 THEN p.h_sids END
                     WHEN 'ip' THEN CASE WHEN p.kind = 'ip' THEN CASE WHEN p.i_count > 1 THEN p.i_sids END
                                         WHEN p.v_live > 1 THEN p.v_sids END END AS candidates,
           CASE p.by WHEN 'service_id' THEN p.s_id WHEN 'hostname' THEN p.h_id
                     WHEN 'ip' THEN CASE WHEN p.kind = 'ip' THEN p.i_vps ELSE p.v_id END END AS chosen_vps,
           CASE WHEN p.kind = 'ip' AND p.by = 'ip' THEN p.i_id END AS chosen_ip
      FROM picked p
), key_match AS (
    -- Each key's match, under a text that names the key whole (NULL apart from '', each value quoted,
    -- so no two keys share one): the lines join it on that one column, by hash. DISTINCT ON it (each
    -- key is one row already) tells the planner it is unique, so it hashes these rows, not the
    -- file's (the same join on the four columns, NULLs equal, is no hash join; on four columns and
    -- their NULL flags it was planned as a merge join sorting the whole file).
    SELECT DISTINCT ON (key) format('%L,%L,%L,%L', d.kind, d.service_id, d.ip, d.hostname) AS key,
           CASE WHEN d.kind = 'other' THEN 'other' WHEN d.candidates IS NOT NULL THEN 'ambiguous'
                WHEN d.by IS NOT NULL THEN d.kind ELSE 'unmatched' END AS matched,
           d.by AS matched_by,
           CASE WHEN d.candidates IS NULL THEN d.chosen_vps END AS vps_id,
           CASE WHEN d.candidates IS NULL THEN d.chosen_ip END AS ip_id,
           d.candidates,
           CASE WHEN d.kind <> 'other' AND d.by IS NULL THEN COALESCE(us.serviceid, uh.serviceid) END
               AS untracked_serviceid
      FROM decided d
      LEFT JOIN untracked_by_sid us ON us.sid = d.service_id
      LEFT JOIN untracked_by_host uh ON uh.hostname = d.hostname
)
SELECT s.invoice_number, r.before + s.run_line AS line_no, s.file_line, s.invoice_date, s.line_type, s.relid,
       s.service_id, s.service_id_source, s.hostname, s.hostname_source, s.ip, s.description, s.amount_usd, s.kind,
       s.category, s.period_start, s.period_end, s.monthly_method, s.monthly_usd, s.first_month, s.month_usd,
       m.matched, m.matched_by, m.vps_id, m.ip_id, m.candidates, m.untracked_serviceid,
       -- Whether invoice_lines already has this invoice and line number: the merge updates those lines
       -- and inserts the others without a join against the table it is writing (planned on a table
       -- still empty, such a join rescans the rows the insert adds: quadratic).
       ol.line_no IS NOT NULL AS present
  FROM invoice_staging s
  JOIN run_offsets r ON r.run = s.run
  JOIN key_match m ON m.key = format('%L,%L,%L,%L', s.kind, s.service_id, s.ip, s.hostname)
  LEFT JOIN invoice_lines ol ON ol.invoice_number = s.invoice_number AND ol.line_no = r.before + s.run_line
