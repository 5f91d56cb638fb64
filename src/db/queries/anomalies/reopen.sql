-- Puts acknowledged or resolved anomalies back to open (acknowledging is reversible): by id, or
-- (:ids NULL) every one detected before :before. Who and when go with the state they described.
UPDATE cost_anomalies a
   SET state = 'open', acknowledged_by = NULL, acknowledged_at = NULL, note = NULL,
       resolved_by = NULL, resolved_at = NULL, resolution_note = NULL
 WHERE a.state IN ('acknowledged', 'resolved')
   AND CASE WHEN :ids::bigint[] IS NULL THEN a.detected_at < :before::timestamptz ELSE a.id = ANY (:ids::bigint[]) END
RETURNING a.id::text
