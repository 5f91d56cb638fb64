-- A run's ghost rows (docs/untracked.md): VPS rows, not decommissioned, whose service id the
-- listing did not name as a live instance: not listed at all (hostwinds_status NULL), or listed
-- with an ended status (:endedSids, :endedStatuses). :live holds every other service id the
-- listing named, readable or not. Only with :checked (the listing was complete): otherwise the
-- run records no ghost and ghost_rows stays NULL, "not checked". A row changed since the listing
-- (:listedAt; its outbox events say so) is not judged: the listing could not know its instance.
-- A resumed run replaces its own ghosts with this listing's.
WITH live AS (
  SELECT unnest(:live::text[]) AS sid
),
ended AS (
  SELECT DISTINCT ON (sid) sid, status
    FROM unnest(:endedSids::text[], :endedStatuses::text[]) AS e(sid, status)
   ORDER BY sid
),
named AS (
  SELECT v.id, v.hostwinds_instance_id AS stored,
         COALESCE(NULLIF(ltrim(btrim(v.hostwinds_instance_id), '0'), ''), '0') AS sid
    FROM vps_instances v
   WHERE :checked::boolean
     AND btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,20}$'
     AND v.status IS DISTINCT FROM 'decommissioned'
     AND (v.created IS NULL OR v.created < :listedAt::timestamptz)
),
ghosts AS (
  SELECT n.id, n.stored, e.status
    FROM named n
    LEFT JOIN ended e ON e.sid = n.sid
   WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.sid = n.sid)
     AND NOT EXISTS (SELECT 1 FROM cost_sync_events ev
                      WHERE ev.resource_kind = 'vps' AND ev.resource_id = n.id AND ev.created_at >= :listedAt::timestamptz)
),
cleared AS (
  DELETE FROM cost_ghost_rows g
   WHERE g.run_id = :runId::uuid AND NOT EXISTS (SELECT 1 FROM ghosts x WHERE x.id = g.vps_id)
),
recorded AS (
  INSERT INTO cost_ghost_rows (run_id, vps_id, serviceid, hostwinds_status)
  SELECT :runId::uuid, id, stored, status FROM ghosts
  ON CONFLICT (run_id, vps_id) DO UPDATE SET serviceid = EXCLUDED.serviceid, hostwinds_status = EXCLUDED.hostwinds_status
)
UPDATE cost_reconciliation_runs
   SET ghost_rows = CASE WHEN :checked::boolean THEN (SELECT count(*) FROM ghosts) END
 WHERE id = :runId::uuid
RETURNING ghost_rows AS n
