-- Anomalies someone can deal with (issue 25). Until now "open" meant "found by the latest completed
-- reconciliation": nothing could clear CostSyncOpenAnomalies, so a legitimate price change kept it
-- firing until the next monthly run. An anomaly now has a state:
--   open -> acknowledged (who, when, a note) -> resolved (who, when, a note); reopen puts it back.
-- The open-anomalies gauge counts state = 'open' only. Additive and rerunnable.
ALTER TABLE cost_anomalies
    ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'open',
    ADD COLUMN IF NOT EXISTS acknowledged_by text,
    ADD COLUMN IF NOT EXISTS acknowledged_at timestamptz,
    ADD COLUMN IF NOT EXISTS note text,
    ADD COLUMN IF NOT EXISTS resolved_by text,
    ADD COLUMN IF NOT EXISTS resolved_at timestamptz,
    ADD COLUMN IF NOT EXISTS resolution_note text;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_cost_anomalies_state'
                      AND conrelid = 'cost_anomalies'::regclass) THEN
        -- Each state carries who and when: an acknowledged or resolved anomaly without them is a bug.
        ALTER TABLE cost_anomalies ADD CONSTRAINT chk_cost_anomalies_state CHECK (
            state IN ('open', 'acknowledged', 'resolved')
            AND (state <> 'acknowledged' OR (acknowledged_by IS NOT NULL AND acknowledged_at IS NOT NULL))
            AND (state <> 'resolved' OR (resolved_by IS NOT NULL AND resolved_at IS NOT NULL)));
        -- What counted as open before keeps counting: the latest completed run's anomalies and the
        -- invoice drift (no run). Older runs' anomalies had already dropped out of the gauge, so they are
        -- recorded as resolved, saying by what.
        UPDATE cost_anomalies
           SET state = 'resolved', resolved_by = 'cost-sync', resolved_at = now(),
               resolution_note = 'found by an earlier reconciliation than the latest; closed when anomalies gained states'
         WHERE run_id IS NOT NULL
           AND run_id IS DISTINCT FROM (SELECT id FROM cost_reconciliation_runs WHERE status = 'completed'
                                         ORDER BY finished_at DESC NULLS LAST LIMIT 1);
    END IF;
END $$;

-- The gauge and `anomalies --state open` read the open ones, newest first.
CREATE INDEX IF NOT EXISTS idx_cost_anomalies_open ON cost_anomalies (detected_at DESC) WHERE state = 'open';

COMMENT ON COLUMN cost_anomalies.state IS 'open (nobody has looked), acknowledged (someone has: acknowledged_by/at, note), resolved (dealt with: resolved_by/at, resolution_note).';
COMMENT ON COLUMN cost_anomalies.acknowledged_by IS 'Who acknowledged it (COST_SYNC_OPERATOR or the OS user).';
COMMENT ON COLUMN cost_anomalies.acknowledged_at IS 'When it was acknowledged.';
COMMENT ON COLUMN cost_anomalies.note IS 'The acknowledgement''s note: why the change is expected, or who is looking.';
COMMENT ON COLUMN cost_anomalies.resolved_by IS 'Who resolved it.';
COMMENT ON COLUMN cost_anomalies.resolved_at IS 'When it was resolved.';
COMMENT ON COLUMN cost_anomalies.resolution_note IS 'The resolution''s note: what was done.';

-- Executives see the state too (appended: CREATE OR REPLACE VIEW keeps the existing columns first).
CREATE OR REPLACE VIEW cost_anomalies_recent WITH (security_barrier) AS
SELECT a.detected_at,
       a.run_id,
       a.resource_kind,
       a.resource_id,
       v.hostwinds_instance_id AS serviceid,
       a.old_value,
       a.new_value,
       a.change_usd,
       a.change_pct,
       (a.run_id IS NOT NULL AND a.run_id = (SELECT id FROM cost_reconciliation_runs WHERE status = 'completed'
                                               ORDER BY finished_at DESC NULLS LAST LIMIT 1)) AS in_latest_run,
       a.state
  FROM cost_anomalies a
  LEFT JOIN vps_instances v ON a.resource_kind = 'vps' AND v.id = a.resource_id
 WHERE a.detected_at >= now() - interval '90 days';
COMMENT ON COLUMN cost_anomalies_recent.state IS 'open, acknowledged or resolved (cost_anomalies.state); open ones are what status and the alert count.';
