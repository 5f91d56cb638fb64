-- One resource's cost history, newest first (id order is recency): the change, where the figure
-- came from, why, the job that made it, and who. "Who" is cost_history.changed_by where that
-- column exists (read through to_jsonb so this statement runs before and after it is added), else
-- the operator a CLI change names in its reason ("… (by alice)"); the job id says the rest.
SELECT h.id::text,
       h.changed_at AS "changedAt",
       h.old_value::text AS "oldValue",
       h.new_value::text AS "newValue",
       h.source,
       h.reason,
       h.job_id AS "jobId",
       COALESCE(to_jsonb(h) ->> 'changed_by', substring(h.reason from ' \(by ([^()]+)\)$')) AS "changedBy",
       count(*) OVER ()::int AS total
  FROM cost_history h
 WHERE h.resource_kind = :kind AND h.resource_id = :id::uuid
 ORDER BY h.id DESC
 LIMIT :limit
