-- The functions that decide tenant isolation and record events resolved their calls through the
-- caller's search_path: a role allowed to create a function in a schema of its own, and to put
-- that schema before pg_catalog, could answer pg_has_role() itself and see every tenant. Each
-- function now pins its search_path (pg_catalog first, then the schema cost-sync lives in, pg_temp
-- last) and qualifies its calls. The views are not affected: PostgreSQL stores a view's function
-- and operator references resolved, at creation.
DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_sync_sees_all_tenants() RETURNS boolean
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
            SELECT pg_catalog.pg_has_role(current_user, 'business_analysts', 'USAGE')
                OR pg_catalog.pg_has_role(current_user, 'executives', 'USAGE')
                OR pg_catalog.pg_has_role(current_user, 'db_administrators', 'USAGE')
                OR NOT pg_catalog.pg_has_role(current_user, 'application_service', 'USAGE')
        $body$ $f$, s);

    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_sync_current_tenant() RETURNS uuid
        LANGUAGE sql STABLE SET search_path = pg_catalog, %1$I, pg_temp AS $body$
            SELECT CASE WHEN pg_catalog.current_setting('app.current_tenant_id', true)
                             OPERATOR(pg_catalog.~*) '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                        THEN pg_catalog.current_setting('app.current_tenant_id', true)::uuid END
        $body$ $f$, s);

    EXECUTE format($f$
        ALTER FUNCTION %1$I.cost_sync_record_event() SET search_path = pg_catalog, %1$I, pg_temp
    $f$, s);
    EXECUTE format($f$
        ALTER FUNCTION %1$I.cost_sync_record_views_event() SET search_path = pg_catalog, %1$I, pg_temp
    $f$, s);
END $$;
