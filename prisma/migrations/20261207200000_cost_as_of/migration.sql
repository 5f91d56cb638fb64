-- Cost as of any instant (docs/forecast.md, "Cost as of an instant"; issue 23).
--
-- cost_history records every change of a modelled cost (overrides included: an override is written
-- into approximate_cost with its own history row, source 'override'). These functions rebuild, for
-- any instant, what every VPS and IP cost then, and how that split among tenants by the rules of
-- cost_attribution_by_tenant (same SQL shape, same largest-remainder split in whole cents), so that
--   Σ tenants + unallocated = fleet, to the cent, at every instant.
--
-- Which rows a resource's cost at instant T comes from:
--  * its latest cost_history row with changed_at <= T (ties: the higher id): new_value;
--  * none yet at T (its history starts later): the old_value of its first row, or 0.00 when that is
--    NULL: what it held before cost-sync first changed it (a new row is created at 0.00 and priced
--    later, so normally 0.00). A row whose `created` lies after T did not exist: 0.00;
--  * no history at all: its current approximate_cost from `created` on (a row written by bulk SQL
--    without history; cost_history cannot say otherwise). Not before `created`.
-- Who bears it at T: the dedicated owner (vps_instances.tenant_id, which has no history: today's
-- owner), else the tenants of the assignments live at T on the VPS's IPs: status active or warming
-- and assigned (when set) at or before T, or status expired and T in [assigned, expires).
-- A VPS's plan at T: the rid named by the source of its latest row at or before T that names one
-- ('get_price_list rid <rid> ...'), so an override keeps the plan it was priced on.
--
-- The month-end figure of a month is the cost at its last instant: the start of the next month (UTC)
-- minus one microsecond (timestamptz's resolution), i.e. every change made before the next month.
-- Every statement is safe to rerun.

-- Finds each resource's latest change at or before an instant without sorting the whole table.
CREATE INDEX IF NOT EXISTS idx_cost_history_resource_time
    ON cost_history (resource_kind, resource_id, changed_at DESC, id DESC);

DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_month_last_instant(p_month date) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
            SELECT ((pg_catalog.date_trunc('month', p_month::timestamp) + interval '1 month' - interval '1 microsecond')
                    AT TIME ZONE 'UTC')
        $body$ $f$, s);

    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_resources_as_of(p_at timestamptz)
        RETURNS TABLE (resource_kind text, resource_id uuid, vps_id uuid, cost numeric(8,2), source text, plan_rid text)
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
        WITH last_change AS (
            SELECT DISTINCT ON (h.resource_kind, h.resource_id) h.resource_kind, h.resource_id, h.new_value, h.source
              FROM cost_history h
             WHERE h.changed_at <= p_at
             ORDER BY h.resource_kind, h.resource_id, h.changed_at DESC, h.id DESC
        ),
        first_change AS (
            SELECT DISTINCT ON (h.resource_kind, h.resource_id) h.resource_kind, h.resource_id, h.old_value
              FROM cost_history h
             WHERE h.changed_at > p_at
             ORDER BY h.resource_kind, h.resource_id, h.changed_at, h.id
        ),
        last_plan AS (
            SELECT DISTINCT ON (h.resource_id) h.resource_id,
                   substring(h.source FROM '^get_price_list rid (\S+) ') AS plan_rid
              FROM cost_history h
             WHERE h.resource_kind = 'vps' AND h.changed_at <= p_at AND h.source LIKE 'get_price_list rid %%'
             ORDER BY h.resource_id, h.changed_at DESC, h.id DESC
        ),
        resources AS (
            SELECT 'vps'::text AS kind, v.id, v.id AS vps_id, v.approximate_cost, v.approximate_cost_source, v.created
              FROM vps_instances v
            UNION ALL
            SELECT 'ip'::text, i.id, i.vps_instance_id, i.approximate_cost, i.approximate_cost_source, i.created
              FROM smtp_ip_addresses i
        ),
        valued AS (
            SELECT r.kind, r.id, r.vps_id,
                   CASE WHEN l.resource_id IS NOT NULL THEN l.new_value
                        WHEN r.created > p_at THEN 0.00
                        WHEN f.resource_id IS NOT NULL THEN COALESCE(f.old_value, 0.00)
                        ELSE r.approximate_cost END AS cost,
                   CASE WHEN l.resource_id IS NOT NULL THEN l.source
                        WHEN r.created > p_at THEN 'not created yet'
                        WHEN f.resource_id IS NOT NULL THEN 'before its first recorded change'
                        ELSE r.approximate_cost_source END AS source
              FROM resources r
              LEFT JOIN last_change l ON l.resource_kind = r.kind AND l.resource_id = r.id
              LEFT JOIN first_change f ON l.resource_id IS NULL AND f.resource_kind = r.kind AND f.resource_id = r.id
        )
        SELECT x.kind, x.id, x.vps_id, x.cost::numeric(8,2), x.source,
               COALESCE(p.plan_rid, CASE WHEN x.kind = 'vps' THEN substring(x.source FROM '^get_price_list rid (\S+) ') END)
          FROM valued x
          LEFT JOIN last_plan p ON p.resource_id = x.vps_id
        $body$ $f$, s);

    -- The attribution of cost_attribution_by_tenant, over the costs and assignments of p_at.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_attribution_as_of(p_at timestamptz)
        RETURNS TABLE (attribution_key text, tenant_id uuid, vps_cost numeric(14,2), ip_cost numeric(14,2),
                       vps_count bigint, ip_count bigint)
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
        WITH costs AS (
            SELECT r.resource_kind, r.resource_id, r.vps_id, r.cost FROM cost_resources_as_of(p_at) r
        ),
        ip_tenants AS (
            -- distinct tenants per IP, and how many of their assignments were live on it at p_at
            SELECT a.smtp_ip_address_id AS ip_id, d.tenant_id, count(*)::bigint AS assignments
              FROM domain_ip_assignments a
              JOIN domains d ON d.id = a.domain_id
             WHERE (a.assigned IS NULL OR a.assigned <= p_at)
               AND (a.status IN ('active', 'warming') OR (a.status = 'expired' AND a.expires > p_at))
             GROUP BY a.smtp_ip_address_id, d.tenant_id
        ),
        ip_claims AS (
            SELECT c.resource_id, round(c.cost * 100)::bigint AS cents,
                   COALESCE(v.tenant_id, it.tenant_id) AS tenant_id,
                   1::bigint AS weight -- an IP is split evenly
              FROM costs c
              LEFT JOIN vps_instances v ON v.id = c.vps_id
              LEFT JOIN ip_tenants it ON v.tenant_id IS NULL AND it.ip_id = c.resource_id
             WHERE c.resource_kind = 'ip' AND c.cost > 0 AND c.cost <> 'NaN'::numeric
        ),
        vps_claims AS (
            SELECT c.resource_id, round(c.cost * 100)::bigint AS cents,
                   COALESCE(v.tenant_id, w.tenant_id) AS tenant_id, COALESCE(w.assignments, 1)::bigint AS weight
              FROM costs c
              JOIN vps_instances v ON v.id = c.resource_id
              LEFT JOIN (
                    SELECT i.vps_instance_id, it.tenant_id, sum(it.assignments)::bigint AS assignments
                      FROM ip_tenants it JOIN smtp_ip_addresses i ON i.id = it.ip_id
                     GROUP BY i.vps_instance_id, it.tenant_id
              ) w ON v.tenant_id IS NULL AND w.vps_instance_id = v.id
             WHERE c.resource_kind = 'vps' AND c.cost > 0 AND c.cost <> 'NaN'::numeric
        ),
        claims AS (
            SELECT 'vps'::text AS kind, * FROM vps_claims
            UNION ALL
            SELECT 'ip'::text AS kind, * FROM ip_claims
        ),
        shares AS (
            SELECT kind, resource_id, tenant_id, cents,
                   (cents * weight) / (sum(weight) OVER r)::bigint AS base,
                   (cents * weight) %% (sum(weight) OVER r)::bigint AS remainder
              FROM claims
            WINDOW r AS (PARTITION BY kind, resource_id)
        ),
        split AS (
            SELECT kind, resource_id, tenant_id,
                   base + CASE WHEN row_number() OVER (PARTITION BY kind, resource_id ORDER BY remainder DESC, tenant_id NULLS LAST)
                                    <= cents - sum(base) OVER (PARTITION BY kind, resource_id) THEN 1 ELSE 0 END AS cents
              FROM shares
        )
        SELECT COALESCE(tenant_id::text, 'unallocated') AS attribution_key,
               tenant_id,
               (COALESCE(sum(cents) FILTER (WHERE kind = 'vps'), 0) / 100.0)::numeric(14,2) AS vps_cost,
               (COALESCE(sum(cents) FILTER (WHERE kind = 'ip'), 0) / 100.0)::numeric(14,2)  AS ip_cost,
               count(DISTINCT resource_id) FILTER (WHERE kind = 'vps') AS vps_count,
               count(DISTINCT resource_id) FILTER (WHERE kind = 'ip')  AS ip_count
          FROM split
         GROUP BY tenant_id
        $body$ $f$, s);

    -- Per plan (the VPS's rid at p_at; its IPs go with it): VPS without a known plan under NULL.
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_plans_as_of(p_at timestamptz)
        RETURNS TABLE (plan_rid text, vps_cost numeric(14,2), ip_cost numeric(14,2), vps_count bigint, ip_count bigint)
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
        WITH costs AS (SELECT * FROM cost_resources_as_of(p_at) WHERE cost > 0 AND cost <> 'NaN'::numeric),
        plans AS (SELECT resource_id AS vps_id, plan_rid FROM costs WHERE resource_kind = 'vps')
        SELECT p.plan_rid,
               COALESCE(sum(c.cost) FILTER (WHERE c.resource_kind = 'vps'), 0)::numeric(14,2),
               COALESCE(sum(c.cost) FILTER (WHERE c.resource_kind = 'ip'), 0)::numeric(14,2),
               count(*) FILTER (WHERE c.resource_kind = 'vps'),
               count(*) FILTER (WHERE c.resource_kind = 'ip')
          FROM costs c
          LEFT JOIN plans p ON p.vps_id = c.vps_id
         GROUP BY p.plan_rid
        $body$ $f$, s);
END $$;

-- Internal building blocks, like cost_attribution_by_tenant: cost-sync and db_administrators.
REVOKE ALL ON FUNCTION cost_month_last_instant(date), cost_resources_as_of(timestamptz),
                       cost_attribution_as_of(timestamptz), cost_plans_as_of(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cost_month_last_instant(date), cost_resources_as_of(timestamptz),
                          cost_attribution_as_of(timestamptz), cost_plans_as_of(timestamptz) TO db_administrators;
COMMENT ON FUNCTION cost_resources_as_of(timestamptz) IS
'Every VPS and SMTP IP with its modelled monthly cost (overrides applied) as of an instant, rebuilt from cost_history (docs/forecast.md). Internal cost modelling, not billing.';
COMMENT ON FUNCTION cost_attribution_as_of(timestamptz) IS
'cost_attribution_by_tenant as of an instant: modelled cost per tenant, tenant_id NULL = unallocated, in whole cents, rebuilt from cost_history and the assignments live then. Internal cost modelling, not billing.';
COMMENT ON FUNCTION cost_plans_as_of(timestamptz) IS
'Modelled cost per Hostwinds plan rid (VPS and their IPs) as of an instant; plan_rid NULL: VPS never priced from a plan. Internal cost modelling, not billing.';
COMMENT ON FUNCTION cost_month_last_instant(date) IS
'The last instant of a UTC calendar month (start of the next month minus one microsecond): where month-end figures are taken.';
