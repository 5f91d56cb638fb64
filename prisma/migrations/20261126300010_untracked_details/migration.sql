-- Untracked spend and ghost rows, the details an operator acts on (docs/untracked.md).
-- Rerunnable: every statement is IF NOT EXISTS.

-- The status Hostwinds gave an untracked instance (Active, Suspended, Pending, or one it did not
-- document): an operator decides differently about a suspended server than about a running one.
ALTER TABLE cost_untracked_instances ADD COLUMN IF NOT EXISTS status text;
COMMENT ON COLUMN cost_untracked_instances.status IS 'The instance''s status as get_instances gave it; NULL when it gave none (or the element could not be read).';

-- Why a row is a ghost: NULL when get_instances did not list its serviceid at all, else the
-- status it listed it with (Cancelled, Terminated, ...: a server that no longer costs anything).
ALTER TABLE cost_ghost_rows ADD COLUMN IF NOT EXISTS hostwinds_status text;
COMMENT ON COLUMN cost_ghost_rows.hostwinds_status IS 'NULL: get_instances did not list the serviceid; else the ended status it listed it with (Cancelled, Terminated, ...).';

-- A row is judged a ghost only if it has not changed since the account was listed (a row created,
-- or given another serviceid, after the listing may name an instance the listing could not know).
-- Its changes are in the outbox; this index finds one VPS's recent events without scanning it.
CREATE INDEX IF NOT EXISTS idx_cost_sync_events_vps_recent
    ON cost_sync_events (resource_id, created_at) WHERE resource_kind = 'vps';
