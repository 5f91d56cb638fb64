-- Pending outbox rows, locked for this relay pass; another relay skips them.
SELECT id, resource_kind, resource_id::text, reason
  FROM cost_sync_events
 WHERE relayed_at IS NULL
 ORDER BY id
 LIMIT :limit
   FOR UPDATE SKIP LOCKED
