-- Event intake and reconciliation bookkeeping for the cost-sync worker.

-- ---------------------------------------------------------------------------
-- Outbox of resource changes. Triggers write a row in the same transaction as
-- the change, so no change can be missed; the worker relays pending rows into
-- BullMQ (LISTEN/NOTIFY for speed, a periodic sweep for safety) and marks them.
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS cost_sync_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'views': something the executive views read changed (assignments, subscriptions, payments, ...)
    resource_kind text NOT NULL CHECK (resource_kind IN ('vps', 'ip', 'views')),
    resource_id   uuid,
    reason        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    relayed_at    timestamptz
);
CREATE INDEX IF NOT EXISTS idx_cost_sync_events_pending ON cost_sync_events (id) WHERE relayed_at IS NULL;
COMMENT ON TABLE cost_sync_events IS 'Outbox of VPS/IP changes that need a cost sync, written by triggers; relayed to BullMQ by cost-sync.';

CREATE OR REPLACE FUNCTION cost_sync_record_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    why text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        why := 'created';
    ELSIF TG_TABLE_NAME = 'vps_instances' THEN
        why := concat_ws(', ',
            CASE WHEN NEW.hostwinds_instance_id IS DISTINCT FROM OLD.hostwinds_instance_id THEN 'service id changed' END,
            CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status ' || COALESCE(OLD.status, 'null') || ' -> ' || COALESCE(NEW.status, 'null') END,
            CASE WHEN NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN 'owner changed' END);
    ELSE
        why := concat_ws(', ',
            CASE WHEN NEW.vps_instance_id IS DISTINCT FROM OLD.vps_instance_id THEN 'moved to another VPS' END,
            CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status ' || COALESCE(OLD.status, 'null') || ' -> ' || COALESCE(NEW.status, 'null') END);
    END IF;
    IF why IS NULL OR why = '' THEN
        RETURN NULL;
    END IF;
    INSERT INTO cost_sync_events (resource_kind, resource_id, reason)
    VALUES (CASE TG_TABLE_NAME WHEN 'vps_instances' THEN 'vps' ELSE 'ip' END, NEW.id, why);
    PERFORM pg_notify('cost_sync_events', '');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS trg_cost_sync_vps_event ON vps_instances;
CREATE TRIGGER trg_cost_sync_vps_event
    AFTER INSERT OR UPDATE OF hostwinds_instance_id, status, tenant_id ON vps_instances
    FOR EACH ROW EXECUTE FUNCTION cost_sync_record_event();

DROP TRIGGER IF EXISTS trg_cost_sync_ip_event ON smtp_ip_addresses;
CREATE TRIGGER trg_cost_sync_ip_event
    AFTER INSERT OR UPDATE OF vps_instance_id, status ON smtp_ip_addresses
    FOR EACH ROW EXECUTE FUNCTION cost_sync_record_event();

-- Changes to what the views read but cost-sync does not write: one event per
-- statement (cheap even for bulk loads); the relay turns them into one
-- debounced refresh of the precomputed figures.
CREATE OR REPLACE FUNCTION cost_sync_record_views_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cost_sync_events (resource_kind, resource_id, reason)
    VALUES ('views', NULL, TG_TABLE_NAME || ' ' || lower(TG_OP));
    PERFORM pg_notify('cost_sync_events', '');
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['domain_ip_assignments', 'domains', 'subscriptions', 'plans', 'companies', 'payments', 'billing_analytics', 'tenants'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS trg_cost_sync_views_event ON %I', t);
        EXECUTE format('CREATE TRIGGER trg_cost_sync_views_event AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION cost_sync_record_views_event()', t);
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- Reconciliation runs: one row per run, with a cursor so a crashed run resumes
-- where it stopped, and the figures ops and Finance read in `status`.
-- ---------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS cost_reconciliation_runs (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id                  text NOT NULL UNIQUE,
    trigger                 text NOT NULL,
    status                  text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
    started_at              timestamptz NOT NULL DEFAULT now(),
    finished_at             timestamptz,
    cursor_vps_id           uuid,
    vps_checked             int NOT NULL DEFAULT 0,
    vps_changed             int NOT NULL DEFAULT 0,
    vps_unpriced            int NOT NULL DEFAULT 0,
    vps_failed              int NOT NULL DEFAULT 0,
    ip_checked              int NOT NULL DEFAULT 0,
    ip_changed              int NOT NULL DEFAULT 0,
    anomalies               int NOT NULL DEFAULT 0,
    hostwinds_calls         int NOT NULL DEFAULT 0,
    total_before            numeric(14,2),
    total_after             numeric(14,2),
    monthly_cost_difference numeric(14,2),
    error                   text
);
CREATE INDEX IF NOT EXISTS idx_cost_reconciliation_runs_started ON cost_reconciliation_runs (started_at DESC);
COMMENT ON TABLE cost_reconciliation_runs IS
'Monthly (or on-demand) repricing runs of every VPS and IP. monthly_cost_difference = sum(approximate_cost - monthly_cost) where monthly_cost is filled. Internal modelling.';

CREATE TABLE IF NOT EXISTS cost_anomalies (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        uuid REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    resource_kind text NOT NULL,
    resource_id   uuid NOT NULL,
    old_value     numeric(8,2),
    new_value     numeric(8,2) NOT NULL,
    change_usd    numeric(10,2) NOT NULL,
    change_pct    numeric(10,2),
    detected_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, resource_kind, resource_id)
);
COMMENT ON TABLE cost_anomalies IS 'Cost changes beyond ANOMALY_THRESHOLD_PERCENT and ANOMALY_THRESHOLD_USD found by a reconciliation.';
