-- Resolves open or acknowledged anomalies: by id, or (:ids NULL) every one detected before :before.
-- The acknowledgement (who, when, note) stays beside the resolution.
UPDATE cost_anomalies a
   SET state = 'resolved', resolved_by = :by, resolved_at = now(), resolution_note = :note
 WHERE a.state IN ('open', 'acknowledged')
   AND CASE WHEN :ids::bigint[] IS NULL THEN a.detected_at < :before::timestamptz ELSE a.id = ANY (:ids::bigint[]) END
RETURNING a.id::text
