-- Records a digest once it is posted; the period and its fleet cost as the digest stated them.
INSERT INTO cost_digests (taken_at, period_start, trigger, fleet_cost)
VALUES (:takenAt::timestamptz, :periodStart::timestamptz, :trigger::text, :fleetCost::numeric)
