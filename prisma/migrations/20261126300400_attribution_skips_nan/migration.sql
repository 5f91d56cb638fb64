-- A refresh survives a bad row (docs/data-model.md, on NaN). The cost
-- constraints reject NaN (20261126100200), but a row can still slip through another way (a constraint
-- dropped by hand, a restore without constraints). 'NaN' > 0 holds in PostgreSQL, so the attribution
-- took such a row and failed the whole refresh on `round(NaN * 100)::bigint`, freezing every tenant's
-- figures. The attribution now leaves NaN costs out; the refresh counts and logs them, and `verify`
-- FAILs them with their ids.
--
-- A materialized view's query cannot be replaced, and five views and a materialized view are built on
-- this one: their current definitions, options, comments, indexes, grants and owners are read from the
-- catalog, the attribution is recreated, and they are rebuilt as they were, in dependency order, in
-- this migration's transaction. Rerunnable: nothing happens once the attribution excludes NaN.
DO $migration$
DECLARE
    v_saved jsonb := '[]'::jsonb;
    v_dep record;
    v_item jsonb;
    v_entry jsonb;
    v_col record;
BEGIN
    IF position('NaN' IN pg_get_viewdef('cost_attribution_by_tenant'::regclass)) > 0 THEN
        RETURN;
    END IF;
    FOR v_dep IN
        WITH RECURSIVE dep(oid, lvl) AS (
            SELECT 'cost_attribution_by_tenant'::regclass::oid, 0
            UNION
            SELECT r.ev_class, dep.lvl + 1
              FROM dep
              JOIN pg_depend pd ON pd.refobjid = dep.oid AND pd.classid = 'pg_rewrite'::regclass
              JOIN pg_rewrite r ON r.oid = pd.objid
             WHERE r.ev_class <> dep.oid
        )
        SELECT c.oid, c.relname, c.relkind, c.reloptions, c.relacl, c.relowner, max(dep.lvl) AS lvl
          FROM dep JOIN pg_class c ON c.oid = dep.oid
         WHERE dep.lvl > 0
         GROUP BY c.oid, c.relname, c.relkind, c.reloptions, c.relacl, c.relowner
         ORDER BY max(dep.lvl), c.relname
    LOOP
        v_saved := v_saved || jsonb_build_array(jsonb_build_object(
            'name', v_dep.relname,
            'kind', v_dep.relkind,
            'def', pg_get_viewdef(v_dep.oid),
            'options', COALESCE(array_to_string(v_dep.reloptions, ', '), ''),
            'owner', v_dep.relowner::regrole::text,
            'comment', obj_description(v_dep.oid, 'pg_class'),
            'columns', COALESCE((SELECT jsonb_object_agg(a.attname, col_description(v_dep.oid, a.attnum))
                                   FROM pg_attribute a
                                  WHERE a.attrelid = v_dep.oid AND a.attnum > 0 AND col_description(v_dep.oid, a.attnum) IS NOT NULL),
                                '{}'::jsonb),
            'indexes', COALESCE((SELECT jsonb_agg(pg_get_indexdef(i.indexrelid)) FROM pg_index i WHERE i.indrelid = v_dep.oid),
                                '[]'::jsonb),
            'grants', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                                          'grantee', CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(e.grantee::regrole::text) END,
                                          'privilege', e.privilege_type))
                                  FROM aclexplode(v_dep.relacl) e
                                 WHERE e.grantee <> v_dep.relowner),
                               '[]'::jsonb)));
    END LOOP;

    DROP MATERIALIZED VIEW cost_attribution_by_tenant CASCADE;

CREATE MATERIALIZED VIEW cost_attribution_by_tenant AS
WITH ip_tenants AS (
    -- distinct tenants per IP, and how many of their assignments sit on it
    SELECT a.smtp_ip_address_id AS ip_id, d.tenant_id, count(*)::bigint AS assignments
      FROM domain_ip_assignments a
      JOIN domains d ON d.id = a.domain_id
     WHERE a.status IN ('active', 'warming')
     GROUP BY a.smtp_ip_address_id, d.tenant_id
),
ip_claims AS (
    -- who each IP's cost goes to, with a weight; NULL tenant = unallocated
    SELECT i.id AS resource_id, round(i.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, it.tenant_id) AS tenant_id,
           1::bigint AS weight -- an IP is split evenly
      FROM smtp_ip_addresses i
      LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
      LEFT JOIN ip_tenants it ON v.tenant_id IS NULL AND it.ip_id = i.id
     WHERE i.approximate_cost > 0 AND i.approximate_cost <> 'NaN'::numeric -- NaN > 0 holds in PostgreSQL
),
vps_claims AS (
    SELECT v.id AS resource_id, round(v.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, w.tenant_id) AS tenant_id, COALESCE(w.assignments, 1)::bigint AS weight
      FROM vps_instances v
      LEFT JOIN (
            SELECT i.vps_instance_id, it.tenant_id, sum(it.assignments)::bigint AS assignments
              FROM ip_tenants it JOIN smtp_ip_addresses i ON i.id = it.ip_id
             GROUP BY i.vps_instance_id, it.tenant_id
      ) w ON v.tenant_id IS NULL AND w.vps_instance_id = v.id
     WHERE v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'::numeric
),
claims AS (
    SELECT 'vps'::text AS kind, * FROM vps_claims
    UNION ALL
    SELECT 'ip'::text AS kind, * FROM ip_claims
),
shares AS (
    SELECT kind, resource_id, tenant_id, cents,
           -- integer arithmetic: sum() of bigint is numeric, so cast it back
           (cents * weight) / (sum(weight) OVER r)::bigint AS base,
           (cents * weight) % (sum(weight) OVER r)::bigint AS remainder
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
       count(DISTINCT resource_id) FILTER (WHERE kind = 'ip')  AS ip_count,
       now() AS refreshed_at
  FROM split
 GROUP BY tenant_id;
    CREATE UNIQUE INDEX uq_cost_attribution_by_tenant_key ON cost_attribution_by_tenant (attribution_key);
    CREATE INDEX idx_cost_attribution_by_tenant_tenant ON cost_attribution_by_tenant (tenant_id);
    COMMENT ON MATERIALIZED VIEW cost_attribution_by_tenant IS
    'Precomputed attribution of modelled Hostwinds costs (VPS and IP approximate_cost) to tenants, in whole cents; tenant_id NULL = unallocated. A NaN cost (which the constraints reject, but which may slip through) is left out, counted and logged by the refresh. Refreshed by cost-sync (see refreshed_at). Internal cost modelling, not billing.';

    FOR v_item IN SELECT value FROM jsonb_array_elements(v_saved) LOOP
        EXECUTE format('CREATE %s %I%s AS %s',
                       CASE v_item->>'kind' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                       v_item->>'name',
                       CASE WHEN v_item->>'options' = '' THEN '' ELSE format(' WITH (%s)', v_item->>'options') END,
                       rtrim(v_item->>'def', '; ' || chr(10)));
        EXECUTE format('ALTER %s %I OWNER TO %s',
                       CASE v_item->>'kind' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, v_item->>'name', v_item->>'owner');
        IF v_item->>'comment' IS NOT NULL THEN
            EXECUTE format('COMMENT ON %s %I IS %L',
                           CASE v_item->>'kind' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, v_item->>'name', v_item->>'comment');
        END IF;
        FOR v_col IN SELECT key, value FROM jsonb_each_text(v_item->'columns') LOOP
            EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', v_item->>'name', v_col.key, v_col.value);
        END LOOP;
        FOR v_entry IN SELECT value FROM jsonb_array_elements(v_item->'indexes') LOOP
            EXECUTE v_entry #>> '{}';
        END LOOP;
        FOR v_entry IN SELECT value FROM jsonb_array_elements(v_item->'grants') LOOP
            EXECUTE format('GRANT %s ON %I TO %s', v_entry->>'privilege', v_item->>'name', v_entry->>'grantee');
        END LOOP;
    END LOOP;
END
$migration$;
