-- Records a refresh's opportunities in one statement (docs/savings.md, "State"). Found ones are
-- upserted under their stable id: new ones open; a dismissed one stays dismissed while its facts
-- hash is the one dismissed, and reopens when it changed; a done one found again reopens. Current
-- ones not found any more are marked done, with the date and what changed, when the resource
-- changed (cycle switched, IP released or in use again, VPS decommissioned, no longer invoiced,
-- instance tracked or cancelled); otherwise they only stop being current. Each state change is
-- recorded in cost_savings_state_changes. The facts judged here are read in this statement.
-- The opportunities found are the refresh's savings_found (savings/found-create.sql). Only what
-- changed is written: one whose stored current row records the same figures (savings_unchanged,
-- savings/unchanged.sql) is left as it is; the refresh's time is kept on its run
-- (cost_savings_runs.applied_at: a current opportunity was last seen then).
WITH found AS (
    SELECT f.id, f.kind, f.vps_id, f.ip_id FROM savings_found f
),
rejected AS MATERIALIZED (
    -- Re-checked now: an IP or VPS that carries mail again, or a VPS decommissioned or given an
    -- override since the refresh read it, is not recorded as an opportunity. (One set per check.)
    SELECT f.id FROM found f
     WHERE f.kind = 'idle_ip'
       AND EXISTS (SELECT 1 FROM domain_ip_assignments a
                    WHERE a.smtp_ip_address_id = f.ip_id AND a.status IN ('active', 'warming', 'scheduled'))
       AND NOT EXISTS (SELECT 1 FROM smtp_ip_addresses x WHERE x.id = f.ip_id AND x.status IN ('burned', 'quarantined'))
    UNION ALL
    SELECT f.id FROM found f
     WHERE f.kind = 'idle_vps'
       AND EXISTS (SELECT 1 FROM smtp_ip_addresses x JOIN domain_ip_assignments a ON a.smtp_ip_address_id = x.id
                    WHERE x.vps_instance_id = f.vps_id AND a.status IN ('active', 'warming', 'scheduled'))
    UNION ALL
    SELECT f.id FROM found f
     WHERE f.kind IN ('billing_cycle', 'idle_vps')
       AND EXISTS (SELECT 1 FROM vps_instances v
                    WHERE v.id = f.vps_id
                      AND (v.status NOT IN ('active', 'provisioning')
                           OR (f.kind = 'billing_cycle' AND v.approximate_cost_override IS NOT NULL)))
),
c AS (
    -- the opportunities recorded as current
    SELECT f.id FROM found f WHERE f.id NOT IN (SELECT id FROM rejected)
),
w AS (
    -- the rows written: found, not rejected, and changed (new, figures changed, or not current)
    SELECT g.* FROM savings_found g
     WHERE g.id NOT IN (SELECT id FROM rejected)
       AND NOT EXISTS (SELECT 1 FROM savings_unchanged u WHERE u.id = g.id)
),
prev AS MATERIALIZED (
    -- the stored rows of the found opportunities, as they were before this statement
    SELECT o.id, o.state FROM cost_savings_opportunities o JOIN w ON w.id = o.id
),
upserted AS (
    INSERT INTO cost_savings_opportunities AS o (id, kind, vps_id, ip_id, serviceid, ip, tenant_id, monthly_saving,
                                                 upfront, break_even_months, method, evidence, facts_hash)
    SELECT w.id, w.kind, w.vps_id, w.ip_id, w.serviceid, w.ip, w.tenant_id, w.monthly_saving, w.upfront,
           w.break_even_months, w.method, w.evidence, w.facts_hash
      FROM w
    ON CONFLICT (id) DO UPDATE
       SET vps_id = EXCLUDED.vps_id, ip_id = EXCLUDED.ip_id, serviceid = EXCLUDED.serviceid, ip = EXCLUDED.ip,
           tenant_id = EXCLUDED.tenant_id, monthly_saving = EXCLUDED.monthly_saving, upfront = EXCLUDED.upfront,
           break_even_months = EXCLUDED.break_even_months, method = EXCLUDED.method, evidence = EXCLUDED.evidence,
           facts_hash = EXCLUDED.facts_hash, current = true, last_seen = now(),
           first_seen = CASE WHEN o.state = 'done' THEN now() ELSE o.first_seen END,
           state = CASE WHEN o.state = 'done' THEN 'open'
                        WHEN o.state = 'dismissed' AND o.dismissed_facts IS DISTINCT FROM EXCLUDED.facts_hash THEN 'open'
                        ELSE o.state END,
           done_at = NULL, done_reason = NULL,
           dismissed_at = CASE WHEN o.state = 'dismissed' AND o.dismissed_facts = EXCLUDED.facts_hash THEN o.dismissed_at END,
           dismissed_by = CASE WHEN o.state = 'dismissed' AND o.dismissed_facts = EXCLUDED.facts_hash THEN o.dismissed_by END,
           dismiss_reason = CASE WHEN o.state = 'dismissed' AND o.dismissed_facts = EXCLUDED.facts_hash THEN o.dismiss_reason END,
           dismissed_facts = CASE WHEN o.state = 'dismissed' AND o.dismissed_facts = EXCLUDED.facts_hash THEN o.dismissed_facts END
    RETURNING o.id, o.state, o.monthly_saving
),
opened AS (
    -- Each upserted row with its previous state, matched by grouping on the id: a join of the two
    -- lists was planned as a nested loop (their sizes are unknown to the planner), quadratic in the
    -- opportunities; so was a look-up per returned row on a table this statement fills.
    SELECT x.id, max(x.monthly_saving) AS monthly_saving, max(x.state) FILTER (WHERE x.old) AS from_state,
           CASE WHEN NOT bool_or(x.old) THEN 'found'
                WHEN max(x.state) FILTER (WHERE x.old) = 'done' THEN 'found again'
                ELSE 'its facts changed since the dismissal' END AS reason
      FROM (SELECT u.id, u.state, u.monthly_saving, false AS old FROM upserted u
            UNION ALL
            SELECT p.id, p.state, NULL, true FROM prev p) x
     GROUP BY x.id
    HAVING bool_or(NOT x.old AND x.state = 'open')
       AND (NOT bool_or(x.old) OR max(x.state) FILTER (WHERE x.old) <> 'open')
),
last_run AS (
    -- the latest refresh that recorded before this one: every current opportunity was seen then
    SELECT max(r.applied_at) AS applied_at FROM cost_savings_runs r
),
applied AS (
    UPDATE cost_savings_runs SET applied_at = now() WHERE id = :runId::bigint RETURNING id
),
vanished AS (
    -- Set-based: each fact is read by key or in one pass, never by a scan per vanished row (a
    -- reconciliation that switches thousands of cycles vanishes thousands at once).
    SELECT o.id, o.state, o.monthly_saving, why.reason, GREATEST(o.last_seen, l.applied_at) AS last_seen
      FROM cost_savings_opportunities o
      CROSS JOIN last_run l
      LEFT JOIN vps_instances v ON v.id = o.vps_id
      LEFT JOIN smtp_ip_addresses i ON i.id = o.ip_id
      LEFT JOIN vps_instances iv ON iv.id = i.vps_instance_id
      LEFT JOIN LATERAL (
            SELECT y.billing_cycle FROM cost_reconciliation_cycles y
             WHERE o.kind = 'billing_cycle' AND y.run_id = :cyclesRunId::uuid
               AND y.serviceid = CASE WHEN o.serviceid ~ '^[0-9]{1,18}$' THEN o.serviceid::bigint END
               AND y.serviceid::text = o.serviceid) y ON true
      CROSS JOIN LATERAL (SELECT CASE
        WHEN o.kind IN ('billing_cycle', 'idle_vps', 'billed_after_decommission') AND v.id IS NULL THEN 'VPS row removed'
        WHEN o.kind IN ('billing_cycle', 'idle_vps') AND v.status IN ('decommissioned', 'scheduled_decommission')
            THEN 'VPS ' || replace(v.status, '_', ' ')
        WHEN o.kind = 'billing_cycle' AND o.evidence->>'cycle' <> y.billing_cycle
            THEN 'cycle switched from ' || (o.evidence->>'cycle') || ' to ' || y.billing_cycle
        WHEN o.kind = 'idle_vps' AND EXISTS (
                SELECT 1 FROM smtp_ip_addresses x JOIN domain_ip_assignments a ON a.smtp_ip_address_id = x.id
                 WHERE x.vps_instance_id = o.vps_id AND a.status IN ('active', 'warming', 'scheduled'))
            THEN 'VPS carries mail again'
        WHEN o.kind = 'billed_after_decommission'
             AND (SELECT max(month) FROM invoice_vps_months WHERE invoiced_usd IS NOT NULL)
                 > to_date(o.evidence->>'invoiceMonth', 'YYYY-MM')
             AND NOT EXISTS (SELECT 1 FROM invoice_vps_months m
                              WHERE m.vps_id = o.vps_id AND m.invoiced_usd > 0
                                AND m.month = (SELECT max(month) FROM invoice_vps_months WHERE invoiced_usd IS NOT NULL))
            THEN 'no longer invoiced in ' || to_char((SELECT max(month) FROM invoice_vps_months WHERE invoiced_usd IS NOT NULL), 'YYYY-MM')
        WHEN o.kind = 'idle_ip' AND i.id IS NULL THEN 'IP released'
        WHEN o.kind = 'idle_ip' AND iv.status IN ('decommissioned', 'scheduled_decommission') THEN 'IP released with its VPS'
        WHEN o.kind = 'idle_ip' AND EXISTS (
                SELECT 1 FROM domain_ip_assignments a
                 WHERE a.smtp_ip_address_id = o.ip_id AND a.status IN ('active', 'warming', 'scheduled'))
             AND i.status NOT IN ('burned', 'quarantined')
            THEN 'IP carries mail again'
        -- the serviceids VPS rows name, hashed once (a scan of the VPS per vanished instance was quadratic)
        WHEN o.kind = 'untracked' AND o.serviceid IN (
                SELECT COALESCE(NULLIF(ltrim(btrim(x.hostwinds_instance_id), '0'), ''), '0') FROM vps_instances x
                 WHERE btrim(x.hostwinds_instance_id) ~ '^[0-9]{1,20}$')
            THEN 'now tracked by a VPS row'
        WHEN o.kind = 'untracked' AND NOT EXISTS (
                SELECT 1 FROM cost_untracked_latest l JOIN cost_untracked_instances u
                    ON u.run_id = l.run_id AND u.serviceid = o.serviceid)
             AND (SELECT checked_at FROM cost_untracked_latest) > GREATEST(o.last_seen, l.applied_at)
            THEN 'no longer billed by Hostwinds'
        END AS reason) why
     WHERE o.current AND NOT EXISTS (SELECT 1 FROM c WHERE c.id = o.id)
),
closed AS (
    UPDATE cost_savings_opportunities o
       SET current = false, last_seen = g.last_seen,
           state = CASE WHEN g.reason IS NOT NULL THEN 'done' ELSE o.state END,
           done_at = CASE WHEN g.reason IS NOT NULL THEN now() ELSE o.done_at END,
           done_reason = CASE WHEN g.reason IS NOT NULL THEN g.reason ELSE o.done_reason END,
           dismissed_at = CASE WHEN g.reason IS NOT NULL THEN NULL ELSE o.dismissed_at END,
           dismissed_by = CASE WHEN g.reason IS NOT NULL THEN NULL ELSE o.dismissed_by END,
           dismiss_reason = CASE WHEN g.reason IS NOT NULL THEN NULL ELSE o.dismiss_reason END,
           dismissed_facts = CASE WHEN g.reason IS NOT NULL THEN NULL ELSE o.dismissed_facts END
      FROM vanished g
     WHERE o.id = g.id AND o.state <> 'done'
    RETURNING o.id
),
changes AS (
    INSERT INTO cost_savings_state_changes (opportunity_id, from_state, to_state, changed_by, reason, monthly_saving)
    SELECT id, from_state, 'open', :operator, reason, monthly_saving FROM opened
    UNION ALL
    SELECT g.id, g.state, 'done', :operator, g.reason, g.monthly_saving
      FROM vanished g JOIN closed USING (id) WHERE g.reason IS NOT NULL
    RETURNING to_state, from_state
)
SELECT (SELECT count(*) FROM c)::int AS opportunities,
       (SELECT count(*) FROM changes WHERE to_state = 'open' AND from_state IS NULL)::int AS opened,
       (SELECT count(*) FROM changes WHERE to_state = 'open' AND from_state IS NOT NULL)::int AS reopened,
       (SELECT count(*) FROM changes WHERE to_state = 'done')::int AS done
