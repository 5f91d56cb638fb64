-- One refresh records its opportunities at a time (held to the end of the caller's transaction): each
-- reads the other's committed outcome, never half of it.
SELECT pg_advisory_xact_lock(hashtext('cost_savings_apply'))
