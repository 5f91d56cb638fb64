-- Savings opportunities found from the database alone (docs/savings.md): idle IPs, idle VPS,
-- VPS billed after their decommission, untracked instances. One row per opportunity, with its
-- saving in exact numeric, how it was computed, its evidence and the facts it rests on. No dollar
-- twice: an IP of an idle VPS is in the VPS's row, never an idle_ip row of its own.
WITH params AS (
    SELECT :idleDays::int AS idle_days, now() - make_interval(days => :idleDays::int) AS idle_before
),
ip_use AS (
    -- "Idle since": the latest expires of its assignments (or the latest assigned when none has an
    -- expiry); a scheduled assignment is use, as active and warming are.
    SELECT a.smtp_ip_address_id AS ip_id,
           bool_or(a.status IN ('active', 'warming', 'scheduled')) AS live,
           COALESCE(max(a.expires), max(a.assigned)) AS last_use
      FROM domain_ip_assignments a
     GROUP BY a.smtp_ip_address_id
),
ip_state AS MATERIALIZED (
    -- Every IP, read once: whether it costs money (priced above 0), carries mail, and has been idle
    -- long enough; the VPS below and the idle IPs' rows read these rows, not the table again.
    SELECT i.id, i.vps_instance_id, i.ip_address, i.status, i.assigned_count, i.approximate_cost AS cost,
           COALESCE(i.approximate_cost > 0 AND i.approximate_cost <> 'NaN'::numeric, false) AS priced,
           COALESCE(u.live, false) AS live,
           COALESCE(u.last_use, i.created) AS idle_since,
           i.status IN ('burned', 'quarantined') AS spent,
           (NOT COALESCE(u.live, false) AND COALESCE(u.last_use, i.created, '-infinity') <= p.idle_before) AS long_idle
      FROM smtp_ip_addresses i
      LEFT JOIN ip_use u ON u.ip_id = i.id
      CROSS JOIN params p
),
vps_ips AS (
    -- per VPS: whether every IP that costs money is idle (or burned, quarantined), and whether any
    -- IP, billed or not, carries mail (an IP that is not billed but carries mail makes its VPS busy)
    SELECT s.vps_instance_id AS vps_id,
           bool_and(NOT s.priced OR s.long_idle OR s.spent) AS all_idle,
           bool_or(s.live) AS any_live
      FROM ip_state s
     WHERE s.vps_instance_id IS NOT NULL
     GROUP BY s.vps_instance_id
),
idle_vps_ids AS (
    -- which VPS are idle; their facts are built below for these only
    SELECT v.id
      FROM vps_instances v
      LEFT JOIN vps_ips s ON s.vps_id = v.id
      CROSS JOIN params p
     WHERE v.status IN ('active', 'provisioning')
       AND COALESCE(v.created, '-infinity') <= p.idle_before
       AND COALESCE(s.all_idle, true) AND NOT COALESCE(s.any_live, false)
),
idle_vps AS (
    SELECT v.id, v.hostwinds_instance_id AS serviceid, v.tenant_id, v.approximate_cost AS vps_cost, v.created,
           COALESCE(sum(i.cost), 0) AS ip_cost, count(i.id)::int AS ips,
           max(i.idle_since) AS ips_idle_since,
           COALESCE(jsonb_agg(jsonb_build_object('ip', i.ip_address, 'status', i.status, 'cost', i.cost::text,
                                                 'idleSince', i.idle_since) ORDER BY i.ip_address)
                    FILTER (WHERE i.id IS NOT NULL), '[]'::jsonb) AS ip_facts
      FROM idle_vps_ids k
      JOIN vps_instances v ON v.id = k.id
      LEFT JOIN ip_state i ON i.vps_instance_id = v.id AND i.priced
     GROUP BY v.id
),
ips AS (
    -- the idle IPs that cost money: priced above 0, on a VPS that runs (not decommissioned, not
    -- being decommissioned) or on none
    SELECT i.id, i.vps_instance_id, i.ip_address, i.status, i.assigned_count, i.cost,
           v.tenant_id, v.hostwinds_instance_id AS serviceid, i.idle_since, i.spent
      FROM ip_state i
      LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
     WHERE i.priced AND (i.long_idle OR i.spent)
       AND (v.id IS NULL OR v.status IN ('active', 'provisioning'))
),
latest_invoice AS (
    SELECT max(month) AS month FROM invoice_vps_months WHERE invoiced_usd IS NOT NULL
),
decommissioned AS (
    SELECT v.id, v.hostwinds_instance_id AS serviceid, v.tenant_id, m.month, m.invoiced_usd,
           COALESCE((SELECT max(e.created_at) FROM cost_sync_events e
                      WHERE e.resource_kind = 'vps' AND e.resource_id = v.id
                        AND (e.reason LIKE '%-> decommissioned%' OR e.reason = 'created')), v.updated) AS since
      FROM latest_invoice l
      JOIN invoice_vps_months m ON m.month = l.month AND m.invoiced_usd > 0
      JOIN vps_instances v ON v.id = m.vps_id AND v.status = 'decommissioned'
),
untracked AS (
    SELECT u.serviceid, u.hostname, u.main_ip, u.plan, u.monthly_cost, u.unpriced_reason, l.run_id, l.checked_at
      FROM cost_untracked_latest l
      JOIN cost_untracked_instances u ON u.run_id = l.run_id
     -- re-checked now: an instance a row names by now is tracked
     WHERE NOT EXISTS (SELECT 1 FROM vps_instances v
                        WHERE btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,20}$'
                          AND COALESCE(NULLIF(ltrim(btrim(v.hostwinds_instance_id), '0'), ''), '0') = u.serviceid)
)
SELECT 'idle_ip' AS kind, i.vps_instance_id::text AS "vpsId", i.id::text AS "ipId", i.serviceid AS "serviceId",
       i.ip_address AS ip, i.tenant_id::text AS "tenantId", i.cost::text AS "monthlySaving",
       CASE WHEN i.spent THEN 'its IP cost ' || i.cost::text || '/month: ' || i.status || ', still billed'
            ELSE 'its IP cost ' || i.cost::text || '/month: no active, warming or scheduled assignment since '
                 || to_char(i.idle_since AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS method,
       jsonb_build_object('priceSource', 'smtp_ip_addresses.approximate_cost', 'since', i.idle_since,
                          'ipStatus', i.status, 'assignedCount', i.assigned_count,
                          'idleDays', (SELECT idle_days FROM params)) AS evidence,
       jsonb_build_object('status', i.status, 'cost', i.cost::text, 'since', i.idle_since) AS facts
  FROM ips i
 WHERE i.vps_instance_id IS NULL OR i.vps_instance_id NOT IN (SELECT id FROM idle_vps)
UNION ALL
SELECT 'idle_vps', v.id::text, NULL, v.serviceid, NULL, v.tenant_id::text, (v.vps_cost + v.ip_cost)::text,
       'its VPS cost ' || v.vps_cost::text || '/month + its ' || v.ips::text || ' IP(s) ' || v.ip_cost::text
           || '/month: ' || CASE WHEN v.ips = 0 THEN 'no IPs' ELSE 'every IP idle' END,
       jsonb_build_object('priceSource', 'vps_instances.approximate_cost + smtp_ip_addresses.approximate_cost',
                          'since', GREATEST(v.created, v.ips_idle_since), 'vpsCost', v.vps_cost::text,
                          'ipCost', v.ip_cost::text, 'ips', v.ip_facts,
                          'idleDays', (SELECT idle_days FROM params)),
       jsonb_build_object('vpsCost', v.vps_cost::text, 'ips', v.ip_facts)
  FROM idle_vps v
 WHERE v.vps_cost + v.ip_cost > 0
UNION ALL
SELECT 'billed_after_decommission', d.id::text, NULL, d.serviceid, NULL, d.tenant_id::text, d.invoiced_usd::text,
       'invoiced ' || d.invoiced_usd::text || '/month (monthly equivalent) in '
           || to_char(d.month, 'YYYY-MM') || ' for a VPS decommissioned in our rows',
       jsonb_build_object('priceSource', 'invoice_vps_months.invoiced_usd', 'since', d.since,
                          'invoiceMonth', to_char(d.month, 'YYYY-MM'), 'invoicedUsd', d.invoiced_usd::text),
       jsonb_build_object('invoiceMonth', to_char(d.month, 'YYYY-MM'), 'invoicedUsd', d.invoiced_usd::text)
  FROM decommissioned d
 WHERE d.since IS NULL OR d.since < d.month
UNION ALL
SELECT 'untracked', NULL, NULL, u.serviceid, NULL, NULL, u.monthly_cost::text,
       CASE WHEN u.monthly_cost IS NULL THEN 'unpriced: ' || u.unpriced_reason
            ELSE 'its modelled cost ' || u.monthly_cost::text || '/month: billed by Hostwinds, named by no VPS row' END,
       jsonb_build_object('priceSource', 'cost_untracked_instances (reconciliation ' || u.run_id::text || ')',
                          'since', u.checked_at, 'hostname', u.hostname, 'mainIp', u.main_ip, 'plan', u.plan,
                          'unpricedReason', u.unpriced_reason),
       jsonb_build_object('cost', u.monthly_cost::text, 'plan', u.plan)
  FROM untracked u
