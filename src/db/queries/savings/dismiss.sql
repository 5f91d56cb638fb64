-- Dismisses an open opportunity (cost-sync savings dismiss): recorded with the operator and the
-- reason, and the facts hash it was dismissed on, so it stays dismissed while they are unchanged.
-- The state is re-checked here: only an open one is dismissed.
WITH d AS (
    UPDATE cost_savings_opportunities o
       SET state = 'dismissed', dismissed_at = now(), dismissed_by = :operator, dismiss_reason = :reason,
           dismissed_facts = o.facts_hash
     WHERE o.id = :id AND o.state = 'open'
    RETURNING o.id, o.monthly_saving
),
logged AS (
    INSERT INTO cost_savings_state_changes (opportunity_id, from_state, to_state, changed_by, reason, monthly_saving)
    SELECT id, 'open', 'dismissed', :operator, :reason, monthly_saving FROM d
    RETURNING 1
)
SELECT (SELECT count(*) FROM logged)::int AS dismissed,
       (SELECT state FROM cost_savings_opportunities WHERE id = :id) AS state
