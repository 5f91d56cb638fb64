-- VPS that may save on a longer billing cycle (docs/savings.md, "billing_cycle"): running, priced
-- above 0 by Hostwinds (no override: a contract price says nothing about cycles), with their
-- cycle and plan group as the latest completed reconciliation read them, idle VPS left out (an
-- idle VPS is cut, not switched: those the refresh staged in savings_found). Own price: a VPS in no
-- group, in a group priced per instance (catalogue mismatch, plan not learned), or in no group the
-- run recorded. The plan of a catalogue group holds every cycle's price (no Hostwinds call) and
-- decides alone: the refresh judged each (group, cycle) from it (savings/cycle-plans.sql). Numbered
-- into savings_cycle_rows (read a batch at a time, savings/cycle-rows.sql): every own-price VPS and
-- the catalogue VPS of the pairs that save (:savingGroups, :savingCycles), one row each ("vps" 1);
-- the other catalogue VPS only counted per group and cycle ("vpsId" NULL, "vps" the count).
WITH run AS (
    SELECT r.id FROM cost_reconciliation_runs r
     WHERE r.status = 'completed' AND EXISTS (SELECT 1 FROM cost_reconciliation_cycles c WHERE c.run_id = r.id)
     ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
     LIMIT 1
),
base AS MATERIALIZED (
    SELECT v.id AS vps_id, c.serviceid, v.tenant_id, v.approximate_cost, c.billing_cycle, run.id AS run_id,
           COALESCE(g.mode = 'catalogue' AND g.plan IS NOT NULL, false) AS catalogue, c.group_key,
           COALESCE(g.reason, CASE WHEN c.group_key IS NULL THEN 'no plan group' ELSE 'group not planned' END) AS reason
      FROM run
      JOIN cost_reconciliation_cycles c ON c.run_id = run.id
      JOIN vps_instances v
        ON btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,15}$'
       AND btrim(v.hostwinds_instance_id)::bigint = c.serviceid
      LEFT JOIN cost_reconciliation_groups g ON g.run_id = run.id AND g.group_key = c.group_key
     WHERE v.status IN ('active', 'provisioning')
       AND v.approximate_cost_override IS NULL
       AND v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'::numeric
       AND v.id NOT IN (SELECT f.vps_id FROM savings_found f WHERE f.kind = 'idle_vps')
),
saving AS (
    SELECT DISTINCT s.group_key, s.cycle FROM unnest(:savingGroups::text[], :savingCycles::text[]) AS s(group_key, cycle)
)
INSERT INTO savings_cycle_rows ("vpsId", "serviceId", "tenantId", "monthlyCost", cycle, "runId", catalogue,
                                "groupKey", "ownPriceReason", vps, n)
SELECT r.*, row_number() OVER () FROM (
    SELECT b.vps_id::text AS "vpsId", b.serviceid::text AS "serviceId", b.tenant_id::text AS "tenantId",
           b.approximate_cost::text AS "monthlyCost", b.billing_cycle AS cycle, b.run_id::text AS "runId",
           b.catalogue, b.group_key AS "groupKey", b.reason AS "ownPriceReason", 1 AS vps
      FROM base b
     WHERE NOT b.catalogue OR (b.group_key, b.billing_cycle) IN (SELECT group_key, cycle FROM saving)
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, b.billing_cycle, b.run_id::text, true, b.group_key, NULL, count(*)::int
      FROM base b
     WHERE b.catalogue AND (b.group_key, b.billing_cycle) NOT IN (SELECT group_key, cycle FROM saving)
     GROUP BY b.billing_cycle, b.run_id, b.group_key
) r
