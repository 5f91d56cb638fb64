-- Who changed what, in tables cost-sync owns (docs/first-deployment.md). system_config.updated_by
-- belongs to the application (in most schemas a uuid referencing users(id)): cost-sync never
-- writes it. The author of a change to one of cost-sync's settings is recorded here instead, in
-- the same statement as the change; the author of a Finance override or of an IP-constant change
-- made from the command line goes to cost_history.changed_by.

CREATE TABLE IF NOT EXISTS cost_sync_setting_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        text NOT NULL,
    old_value  jsonb,
    new_value  jsonb,
    changed_by text NOT NULL,
    reason     text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_cost_sync_setting_changes_key ON cost_sync_setting_changes (key, id);
COMMENT ON TABLE cost_sync_setting_changes IS
'Every change of a cost-sync setting in system_config (cost_sync.* keys): old and new value, who (COST_SYNC_OPERATOR or the OS user) and why. Internal cost modelling, not billing.';

ALTER TABLE cost_history ADD COLUMN IF NOT EXISTS changed_by text;
COMMENT ON COLUMN cost_history.changed_by IS
'Who made the change from the command line (a Finance override, a change of the IP constant): COST_SYNC_OPERATOR, else the OS user. NULL for the worker''s own syncs.';
