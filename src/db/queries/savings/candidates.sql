-- Stages the savings opportunities found from the database alone (docs/savings.md) in the refresh's
-- savings_found (savings/found-create.sql): idle IPs, idle VPS, VPS billed after their decommission,
-- untracked instances. One row per opportunity, with its saving in exact numeric, how it was computed,
-- its evidence, its stable id and the hash of the facts it rests on, both computed here as
-- src/services/savings/identity.ts computes them (sha256 of "kind:resource"; of the facts as sorted-key
-- JSON), so these rows never cross to the process. No dollar twice: an IP of an idle VPS is in the
-- VPS's row, never an idle_ip row of its own.
WITH /* @include savings-idle */,
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
),
found AS (
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
),
keyed AS (
    SELECT f.*, CASE f.kind WHEN 'idle_ip' THEN COALESCE(f."ipId", '') WHEN 'untracked' THEN COALESCE(f."serviceId", '')
                            ELSE COALESCE(f."vpsId", '') END AS resource,
           /* @include savings-stable-facts */ AS stable_facts
      FROM found f
)
INSERT INTO savings_found (id, kind, vps_id, ip_id, serviceid, ip, tenant_id, monthly_saving, method, evidence, facts_hash)
SELECT /* @include savings-opportunity-id */,
       k.kind, k."vpsId"::uuid, k."ipId"::uuid, k."serviceId", k.ip, k."tenantId"::uuid, k."monthlySaving"::numeric,
       k.method, k.evidence, left(encode(sha256(convert_to(k.stable_facts, 'UTF8')), 'hex'), 16)
  FROM keyed k
