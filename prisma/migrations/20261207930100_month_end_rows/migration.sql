-- The month-end figures of many months in one pass over cost_history (docs/forecast.md, "The month-end
-- figures the forecast reads"; issue 23). cost_month_end_rows(months) gives, for each month, the rows
-- forecast/refresh-month wrote from cost_attribution_as_of and cost_plans_as_of at the month's last
-- instant, one call per month: per tenant, per plan, and the fleet's (with its unallocated cost). The
-- same rules to the cent (a test compares them month by month on a generated history):
--  * a resource's cost at a month's last instant T: its latest history row at or before T (equal times:
--    the higher id); before its first row, 0.00 when `created` lies after T, else its first row's
--    old_value (0.00 when NULL); without history, its approximate_cost from `created` on. Each history
--    row is the latest for the months from its own to the month before the next row's: the history is
--    read and sorted once for all months, not once per month;
--  * a VPS's plan: the rid of its latest row at or before T whose source names one (LIKE
--    'get_price_list rid %'), else the rid its cost's source names; its IPs go with it;
--  * who bears it: the dedicated owner (whole: only the shared and unowned resources go through the
--    split), else the assignments live at T, split in whole cents by the largest remainder, the rest
--    unallocated.
-- Without JIT compilation, like the as-of functions (migration 20261207910000). Safe to rerun.

DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_month_end_rows(p_months date[])
        RETURNS TABLE (month date, scope text, scope_id text, vps_cost numeric(14,2), ip_cost numeric(14,2),
                       unallocated numeric(14,2))
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp SET jit = off AS $body$
        WITH months AS (
            SELECT DISTINCT pg_catalog.date_trunc('month', m::timestamp)::date AS month, cost_month_last_instant(m) AS at
              FROM unnest(p_months) AS m
        ),
        resources AS (
            SELECT 'vps'::text AS kind, v.id, v.id AS vps_id, v.approximate_cost, v.approximate_cost_source, v.created
              FROM vps_instances v
            UNION ALL
            SELECT 'ip'::text, i.id, i.vps_instance_id, i.approximate_cost, i.approximate_cost_source, i.created
              FROM smtp_ip_addresses i
        ),
        hist AS (
            -- every history row with the time of its resource's next row (NULL: the latest)
            SELECT h.resource_kind, h.resource_id, h.new_value, h.source, h.changed_at,
                   lead(h.changed_at) OVER w AS next_at,
                   row_number() OVER w AS n, h.old_value
              FROM cost_history h
            WINDOW w AS (PARTITION BY h.resource_kind, h.resource_id ORDER BY h.changed_at, h.id)
        ),
        rids AS (
            -- the rid each distinct source names (a handful of sources: the regular expression costs
            -- microseconds a call, minutes over every VPS of every month)
            SELECT x.source, substring(x.source FROM '^get_price_list rid (\S+) ') AS rid
              FROM (SELECT h.source FROM cost_history h UNION SELECT v.approximate_cost_source FROM vps_instances v) x
        ),
        plan_rows AS (
            -- the rows whose source names a plan, with the time of the VPS's next such row
            SELECT h.resource_id, r.rid AS plan_rid, h.changed_at,
                   lead(h.changed_at) OVER (PARTITION BY h.resource_id ORDER BY h.changed_at, h.id) AS next_at
              FROM cost_history h
              LEFT JOIN rids r ON r.source = h.source
             WHERE h.resource_kind = 'vps' AND h.source LIKE 'get_price_list rid %%'
        ),
        valued AS (
            -- the latest row at or before each month's last instant
            SELECT mo.month, mo.at, r.kind, r.id, r.vps_id, h.new_value AS cost, h.source
              FROM hist h
              JOIN resources r ON r.kind = h.resource_kind AND r.id = h.resource_id
              JOIN months mo ON h.changed_at <= mo.at AND (h.next_at IS NULL OR h.next_at > mo.at)
            UNION ALL
            -- before the first row: its old_value once created
            SELECT mo.month, mo.at, r.kind, r.id, r.vps_id, COALESCE(h.old_value, 0.00), 'before its first recorded change'
              FROM hist h
              JOIN resources r ON r.kind = h.resource_kind AND r.id = h.resource_id
              JOIN months mo ON h.changed_at > mo.at AND (r.created IS NULL OR r.created <= mo.at)
             WHERE h.n = 1
            UNION ALL
            -- no history: its cost now, once created
            SELECT mo.month, mo.at, r.kind, r.id, r.vps_id, r.approximate_cost, r.approximate_cost_source
              FROM resources r
              JOIN months mo ON r.created IS NULL OR r.created <= mo.at
             WHERE NOT EXISTS (SELECT 1 FROM cost_history h WHERE h.resource_kind = r.kind AND h.resource_id = r.id)
        ),
        costs AS (
            SELECT x.month, x.at, x.kind, x.id, x.vps_id, x.cost::numeric(8,2) AS cost,
                   COALESCE(p.plan_rid, CASE WHEN x.kind = 'vps' THEN r.rid END) AS plan_rid
              FROM valued x
              LEFT JOIN rids r ON r.source = x.source
              LEFT JOIN plan_rows p ON p.resource_id = x.vps_id AND p.changed_at <= x.at AND (p.next_at IS NULL OR p.next_at > x.at)
             WHERE x.cost > 0 AND x.cost <> 'NaN'::numeric
        ),
        ip_tenants AS (
            SELECT mo.month, a.smtp_ip_address_id AS ip_id, d.tenant_id, count(*)::bigint AS assignments
              FROM domain_ip_assignments a
              JOIN domains d ON d.id = a.domain_id
              JOIN months mo ON (a.assigned IS NULL OR a.assigned <= mo.at)
                            AND (a.status IN ('active', 'warming') OR (a.status = 'expired' AND a.expires > mo.at))
             GROUP BY mo.month, a.smtp_ip_address_id, d.tenant_id
        ),
        owned AS (
            -- a dedicated VPS and its IPs: the owner's, whole (one claim: nothing to split)
            SELECT c.month, c.kind, v.tenant_id, round(c.cost * 100)::bigint AS cents
              FROM costs c JOIN vps_instances v ON v.id = c.vps_id
             WHERE v.tenant_id IS NOT NULL
        ),
        ip_claims AS (
            SELECT c.month, c.id AS resource_id, round(c.cost * 100)::bigint AS cents,
                   it.tenant_id, 1::bigint AS weight
              FROM costs c
              LEFT JOIN vps_instances v ON v.id = c.vps_id
              LEFT JOIN ip_tenants it ON it.month = c.month AND it.ip_id = c.id
             WHERE c.kind = 'ip' AND v.tenant_id IS NULL
        ),
        vps_claims AS (
            SELECT c.month, c.id AS resource_id, round(c.cost * 100)::bigint AS cents,
                   w.tenant_id, COALESCE(w.assignments, 1)::bigint AS weight
              FROM costs c
              JOIN vps_instances v ON v.id = c.id
              LEFT JOIN (
                    SELECT it.month, i.vps_instance_id, it.tenant_id, sum(it.assignments)::bigint AS assignments
                      FROM ip_tenants it JOIN smtp_ip_addresses i ON i.id = it.ip_id
                     GROUP BY it.month, i.vps_instance_id, it.tenant_id
              ) w ON w.month = c.month AND w.vps_instance_id = v.id
             WHERE c.kind = 'vps' AND v.tenant_id IS NULL
        ),
        claims AS (
            -- the shared and unowned resources: split by the assignments live at the month's end
            SELECT 'vps'::text AS kind, * FROM vps_claims
            UNION ALL
            SELECT 'ip'::text AS kind, * FROM ip_claims
        ),
        shares AS (
            SELECT month, kind, resource_id, tenant_id, cents,
                   (cents * weight) / (sum(weight) OVER r)::bigint AS base,
                   (cents * weight) %% (sum(weight) OVER r)::bigint AS remainder
              FROM claims
            WINDOW r AS (PARTITION BY month, kind, resource_id)
        ),
        split AS (
            SELECT month, kind, tenant_id,
                   base + CASE WHEN row_number() OVER (PARTITION BY month, kind, resource_id ORDER BY remainder DESC, tenant_id NULLS LAST)
                                    <= cents - sum(base) OVER (PARTITION BY month, kind, resource_id) THEN 1 ELSE 0 END AS cents
              FROM shares
            UNION ALL
            SELECT month, kind, tenant_id, cents FROM owned
        ),
        tenants AS (
            SELECT month, tenant_id,
                   (COALESCE(sum(cents) FILTER (WHERE kind = 'vps'), 0) / 100.0)::numeric(14,2) AS vps_cost,
                   (COALESCE(sum(cents) FILTER (WHERE kind = 'ip'), 0) / 100.0)::numeric(14,2)  AS ip_cost
              FROM split
             GROUP BY month, tenant_id
        ),
        plan_of AS (SELECT month, id AS vps_id, plan_rid FROM costs WHERE kind = 'vps')
        SELECT t.month, 'tenant'::text, t.tenant_id::text, t.vps_cost, t.ip_cost, NULL::numeric(14,2)
          FROM tenants t WHERE t.tenant_id IS NOT NULL
        UNION ALL
        SELECT mo.month, 'fleet', '', COALESCE(sum(t.vps_cost), 0)::numeric(14,2), COALESCE(sum(t.ip_cost), 0)::numeric(14,2),
               COALESCE(sum(t.vps_cost + t.ip_cost) FILTER (WHERE t.tenant_id IS NULL), 0)::numeric(14,2)
          FROM months mo LEFT JOIN tenants t ON t.month = mo.month
         GROUP BY mo.month
        UNION ALL
        SELECT c.month, 'plan', COALESCE(p.plan_rid, ''),
               COALESCE(sum(c.cost) FILTER (WHERE c.kind = 'vps'), 0)::numeric(14,2),
               COALESCE(sum(c.cost) FILTER (WHERE c.kind = 'ip'), 0)::numeric(14,2), NULL
          FROM costs c
          LEFT JOIN plan_of p ON p.month = c.month AND p.vps_id = c.vps_id
         GROUP BY c.month, p.plan_rid
        $body$ $f$, s);
END $$;

REVOKE ALL ON FUNCTION cost_month_end_rows(date[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cost_month_end_rows(date[]) TO db_administrators;
COMMENT ON FUNCTION cost_month_end_rows(date[]) IS
'The month-end figures (modelled cost at each month''s last instant) of the given months per tenant, per plan and for the fleet, in one pass over cost_history: what cost_attribution_as_of and cost_plans_as_of give month by month. Internal cost modelling, not billing.';
