-- Catalogue pricing (docs/decisions.md): a run prices each group of instances on one plan from
-- the price catalogue, after learning the group's plan from one member and verifying a sample of
-- members one by one. The run records its Hostwinds calls by purpose, its groups, and every
-- member whose own price disagreed with the catalogue's (its group then fell back to per-instance
-- pricing for the rest of the run).
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS calls_list int NOT NULL DEFAULT 0;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS calls_learn int NOT NULL DEFAULT 0;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS calls_verify int NOT NULL DEFAULT 0;
ALTER TABLE cost_reconciliation_runs ADD COLUMN IF NOT EXISTS calls_fallback int NOT NULL DEFAULT 0;
COMMENT ON COLUMN cost_reconciliation_runs.calls_list IS 'Hostwinds calls that list the fleet and the catalogue (get_instances, get_price_list without serviceid).';
COMMENT ON COLUMN cost_reconciliation_runs.calls_learn IS 'get_price_list(serviceid) calls that learned a group''s current plan.';
COMMENT ON COLUMN cost_reconciliation_runs.calls_verify IS 'get_price_list(serviceid) calls that verified sampled members against the catalogue.';
COMMENT ON COLUMN cost_reconciliation_runs.calls_fallback IS 'get_price_list(serviceid) calls that priced instances one by one (ungrouped, or in a group that failed verification).';

CREATE TABLE IF NOT EXISTS cost_reconciliation_groups (
    run_id    uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    group_key text NOT NULL,
    mode      text NOT NULL CHECK (mode IN ('catalogue', 'per-instance')),
    rid       text,
    members   int NOT NULL,
    sampled   int NOT NULL,
    reason    text,
    plan      jsonb,
    PRIMARY KEY (run_id, group_key)
);
COMMENT ON TABLE cost_reconciliation_groups IS
'The plan groups of a reconciliation run: how each was priced (from the catalogue, or per instance and why), with the plan it was priced from, so that a resumed run prices the rest the same way.';

CREATE TABLE IF NOT EXISTS cost_catalogue_mismatches (
    run_id          uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    group_key       text NOT NULL,
    serviceid       text NOT NULL,
    catalogue_price text NOT NULL,
    instance_price  text NOT NULL,
    PRIMARY KEY (run_id, group_key, serviceid)
);
COMMENT ON TABLE cost_catalogue_mismatches IS
'Members whose own get_price_list(serviceid) price disagreed with their group''s catalogue price; the group was priced per instance for the rest of the run.';
