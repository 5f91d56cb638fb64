-- Included by the cost writes (`/* @include cost-history */`, src/db/sql.ts): the head of their cost_history
-- insert, one row per changed resource. The including statement follows it with the rows' source
-- (`FROM changed`, with columns id, old_value, new_value, source) and, but for a first attempt, with
-- ON CONFLICT DO NOTHING, so that a retried job cannot record the same change twice.
-- Parameters: :kind ('vps' or 'ip'), :reason, :jobId, :changedBy (NULL for the worker's own syncs).
INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_by)
       SELECT :kind, id, old_value, new_value, source, :reason, :jobId, :changedBy::text
