-- The savings refresh at fleet scale (issue 24, "Performance"; docs/savings.md): a refresh writes
-- only the opportunities whose figures changed, so a steady state writes next to nothing.
-- Every statement is safe to rerun.

-- 1. The hash of every figure of a recorded opportunity (kind, resource, tenant, amounts, method,
--    evidence, facts hash): the refresh re-sends and rewrites a current row only when it differs.
ALTER TABLE cost_savings_opportunities ADD COLUMN IF NOT EXISTS row_hash text;
COMMENT ON COLUMN cost_savings_opportunities.row_hash IS
'Hash of the figures recorded (kind, resource, tenant, amounts, method, evidence, facts hash): a refresh rewrites a current row only when it changed. NULL = written before the column existed.';

-- 2. "Last seen" without rewriting every row: an unchanged current row keeps the last_seen of its
--    last write, and the time of the latest refresh that recorded opportunities is kept with it.
--    A current opportunity was last seen then; one no longer current, at its last_seen.
ALTER TABLE cost_savings_runs ADD COLUMN IF NOT EXISTS applied_at timestamptz;
COMMENT ON COLUMN cost_savings_runs.applied_at IS
'When this refresh recorded its opportunities (the transaction time of the recording statement): every opportunity current since was last seen then.';
COMMENT ON COLUMN cost_savings_opportunities.last_seen IS
'When a refresh last found it, for one no longer current; a current one was last seen at the latest cost_savings_runs.applied_at (the view executive_savings_opportunities shows the later of the two).';
-- Refreshes before this migration: their finish is when they recorded.
UPDATE cost_savings_runs SET applied_at = finished_at WHERE applied_at IS NULL AND finished_at IS NOT NULL;

-- 3. The view shows when each open opportunity was last seen: by the latest refresh (it is current).
CREATE OR REPLACE VIEW executive_savings_opportunities WITH (security_barrier) AS
SELECT o.id, o.kind, o.serviceid, o.ip, o.tenant_id, o.monthly_saving, o.upfront, o.break_even_months,
       o.method, o.evidence, o.first_seen,
       GREATEST(o.last_seen, (SELECT max(r.applied_at) FROM cost_savings_runs r)) AS last_seen
  FROM cost_savings_opportunities o
 WHERE o.state = 'open' AND o.current
   AND (SELECT cost_sync_sees_all_tenants());
