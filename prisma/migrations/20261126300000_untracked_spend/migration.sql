-- Untracked spend and ghost rows (docs/money.md): each reconciliation lists the account's
-- instances with get_instances. An instance no vps_instances row references is money leaving
-- with nobody tracking it (untracked); a row whose serviceid Hostwinds does not list is a ghost.
-- Both are recorded per run. Untracked spend is fleet-level: it is never attributed to a tenant,
-- so nothing here carries a tenant, and only the fleet-reading roles may read it.
-- NULL counts on a run mean "not checked" (the run could not list the account), not "none".
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS untracked_instances int;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS untracked_unpriced int;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS untracked_monthly_cost numeric(12,2)
    CHECK (untracked_monthly_cost >= 0 AND untracked_monthly_cost <> 'NaN'::numeric);
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS ghost_rows int;
COMMENT ON COLUMN cost_reconciliation_runs.untracked_instances IS 'Hostwinds instances no vps_instances row references, found by this run; NULL when the run did not check.';
COMMENT ON COLUMN cost_reconciliation_runs.untracked_unpriced IS 'Untracked instances whose price could not be read (their cost is not in untracked_monthly_cost).';
COMMENT ON COLUMN cost_reconciliation_runs.untracked_monthly_cost IS 'Monthly USD of the priced untracked instances (internal modelling, fleet-level, never attributed to a tenant).';
COMMENT ON COLUMN cost_reconciliation_runs.ghost_rows IS 'vps_instances rows whose serviceid Hostwinds does not list, found by this run; NULL when the run did not check.';

CREATE TABLE IF NOT EXISTS cost_untracked_instances (
    run_id          uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    serviceid       text NOT NULL,
    hostname        text,
    main_ip         text,
    plan            text,
    monthly_cost    numeric(8,2) CHECK (monthly_cost >= 0 AND monthly_cost <> 'NaN'::numeric),
    unpriced_reason text,
    CHECK ((monthly_cost IS NULL) <> (unpriced_reason IS NULL)),
    PRIMARY KEY (run_id, serviceid)
);
COMMENT ON TABLE cost_untracked_instances IS
'Hostwinds instances that no vps_instances row references, per reconciliation run, with their modelled monthly USD (or why it could not be read). Fleet-level spend: never attributed to a tenant.';

CREATE TABLE IF NOT EXISTS cost_ghost_rows (
    run_id    uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    vps_id    uuid NOT NULL,
    serviceid text NOT NULL,
    PRIMARY KEY (run_id, vps_id)
);
COMMENT ON TABLE cost_ghost_rows IS
'vps_instances rows whose serviceid the account''s get_instances did not list, per reconciliation run (a server cancelled at Hostwinds but still modelled, or a wrong serviceid).';

-- The latest completed run that checked: what status, the metrics and the executive figures show.
CREATE OR REPLACE VIEW cost_untracked_latest AS
SELECT r.id AS run_id, r.finished_at AS checked_at, r.untracked_instances, r.untracked_unpriced,
       r.untracked_monthly_cost, r.ghost_rows
  FROM cost_reconciliation_runs r
 WHERE r.status = 'completed' AND r.untracked_instances IS NOT NULL
 ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
 LIMIT 1;
COMMENT ON VIEW cost_untracked_latest IS
'Untracked Hostwinds spend and ghost rows as of the latest completed reconciliation that checked (zero or one row). Fleet-level; internal modelling.';

REVOKE ALL ON cost_untracked_instances, cost_ghost_rows, cost_untracked_latest FROM PUBLIC;
GRANT SELECT ON cost_untracked_instances, cost_ghost_rows, cost_untracked_latest TO business_analysts, executives;
GRANT ALL ON cost_untracked_instances, cost_ghost_rows, cost_untracked_latest TO db_administrators;
