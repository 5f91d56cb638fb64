-- When a decommission was scheduled (docs/forecast.md, "Backtest"; issue 23): every change of
-- vps_instances.decommission_scheduled_for, with the time it was made, so that the backtest can apply
-- the known changes that were known before each month it forecasts began. Written by a trigger, so
-- every writer is covered (cost-sync, the application, an operator's SQL). The trigger function runs
-- with its owner's rights (the application's role has no grant on this table), its search_path pinned
-- and EXECUTE revoked from PUBLIC, as the event triggers' (20261126100300).
-- A schedule already set when this migration runs is recorded as known from then on: when it was set
-- before is not recorded anywhere. Safe to rerun.

CREATE TABLE IF NOT EXISTS vps_decommission_schedule_changes (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- no foreign key: the record outlives a deleted VPS row
    vps_id             uuid NOT NULL,
    old_scheduled_for  timestamptz,
    new_scheduled_for  timestamptz,
    changed_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_vps_decommission_schedule_changes_vps
    ON vps_decommission_schedule_changes (vps_id, changed_at, id);
COMMENT ON TABLE vps_decommission_schedule_changes IS
'Every change of vps_instances.decommission_scheduled_for (NULL: unscheduled) and when it was made, written by trigger: what the backtest knew of scheduled decommissions before each month began. Internal cost modelling, not billing.';

DO $$
DECLARE
    s text := current_schema();
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION %1$I.cost_sync_record_decommission_schedule() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, %1$I, pg_temp AS $body$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW.decommission_scheduled_for IS NOT NULL THEN
                    INSERT INTO vps_decommission_schedule_changes (vps_id, old_scheduled_for, new_scheduled_for)
                    VALUES (NEW.id, NULL, NEW.decommission_scheduled_for);
                END IF;
            ELSIF NEW.decommission_scheduled_for IS DISTINCT FROM OLD.decommission_scheduled_for THEN
                INSERT INTO vps_decommission_schedule_changes (vps_id, old_scheduled_for, new_scheduled_for)
                VALUES (NEW.id, OLD.decommission_scheduled_for, NEW.decommission_scheduled_for);
            END IF;
            RETURN NULL;
        END
        $body$ $f$, s);
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %I.cost_sync_record_decommission_schedule() FROM PUBLIC', s);
END $$;

DROP TRIGGER IF EXISTS trg_vps_decommission_schedule ON vps_instances;
CREATE TRIGGER trg_vps_decommission_schedule AFTER INSERT OR UPDATE OF decommission_scheduled_for ON vps_instances
    FOR EACH ROW EXECUTE FUNCTION cost_sync_record_decommission_schedule();

-- the schedules already set: known from now on
INSERT INTO vps_decommission_schedule_changes (vps_id, old_scheduled_for, new_scheduled_for)
SELECT v.id, NULL, v.decommission_scheduled_for
  FROM vps_instances v
 WHERE v.decommission_scheduled_for IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM vps_decommission_schedule_changes c WHERE c.vps_id = v.id);

REVOKE ALL ON vps_decommission_schedule_changes FROM PUBLIC;
GRANT SELECT ON vps_decommission_schedule_changes TO db_administrators;
