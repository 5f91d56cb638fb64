-- The event triggers (20261101000500) run as whoever writes vps_instances, smtp_ip_addresses and
-- the tables behind the views. In production that is the application's own role, which has no
-- grant on cost-sync's outbox: once cost-sync was migrated, every insert or status change the
-- application made failed with "permission denied for table cost_sync_events". The two trigger
-- functions now run with the rights of their owner (the role that ran `cost-sync migrate`, which
-- owns the outbox). Their search_path is pinned (20261126200100, pg_catalog first), as a SECURITY
-- DEFINER function's must be. A trigger function cannot be called directly, and with EXECUTE
-- revoked from PUBLIC no other role can attach these to a table of its own to write the outbox
-- (firing a trigger checks no EXECUTE privilege: the application's writes are unaffected).
DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format('ALTER FUNCTION %I.cost_sync_record_event() SECURITY DEFINER SET search_path = pg_catalog, %I, pg_temp', s, s);
    EXECUTE format('ALTER FUNCTION %I.cost_sync_record_views_event() SECURITY DEFINER SET search_path = pg_catalog, %I, pg_temp', s, s);
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %I.cost_sync_record_event(), %I.cost_sync_record_views_event() FROM PUBLIC', s, s);
END $$;
