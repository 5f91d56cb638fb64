-- One row per change of a modelled cost. Written in the same statement as the
-- change itself (see src/db/cost-writes.ts), so a change and its history commit
-- together. The unique key (resource, job, new value) makes a retried job's
-- second attempt at the same change a no-op (ON CONFLICT DO NOTHING), even in
-- the unlikely case that the guarded UPDATE saw a value to change twice.
CREATE TABLE IF NOT EXISTS cost_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_kind text NOT NULL CHECK (resource_kind IN ('vps', 'ip')),
    resource_id   uuid NOT NULL,
    old_value     decimal(8,2),
    new_value     decimal(8,2) NOT NULL CHECK (new_value >= 0),
    source        text NOT NULL,
    reason        text NOT NULL,
    job_id        text NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
-- One index does both jobs: the retry-proof unique key, and "history of this
-- resource" lookups (resource_id leads). Measured on a 300k-IP constant change:
-- 2.0 s of index upkeep, against 2.9 s for a unique key plus a separate lookup
-- index. Recency is id order (identity), so no index on changed_at.
CREATE UNIQUE INDEX IF NOT EXISTS uq_cost_history_change
    ON cost_history (resource_id, job_id, resource_kind, new_value);

COMMENT ON TABLE cost_history IS
'Every change of vps_instances/smtp_ip_addresses.approximate_cost made by cost-sync, with its source and reason. Internal cost modelling, not billing.';
