-- What a reconciliation run could not do, for `status` and `reconcile --wait`:
--  * rows it skipped because the facts its decision rested on moved during the run (a status or
--    serviceid change, an override set or cleared, a new IP constant): the change that moved them
--    brings its own sync, so the run leaves them alone and counts them;
--  * the VPS it could not price, each with the reason (the run used to report only a count).
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS vps_skipped int NOT NULL DEFAULT 0;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS ip_skipped int NOT NULL DEFAULT 0;
COMMENT ON COLUMN cost_reconciliation_runs.vps_skipped IS
'VPS not written because their status, serviceid or override changed while the run priced them; their own sync prices them.';
COMMENT ON COLUMN cost_reconciliation_runs.ip_skipped IS
'IPs not written because Finance changed the IP constant during the run; the repricing of the new constant writes them.';

CREATE TABLE IF NOT EXISTS cost_reconciliation_unpriced (
    run_id    uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    vps_id    uuid NOT NULL,
    serviceid text,
    reason    text NOT NULL,
    PRIMARY KEY (run_id, vps_id)
);
COMMENT ON TABLE cost_reconciliation_unpriced IS
'The VPS a reconciliation run could not price, with the reason; their previous approximate_cost was kept.';
