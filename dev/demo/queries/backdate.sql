-- The demo compresses months (dev/demo/backdate.ts): everything it has done since :since (the
-- current month's start) is moved back by one interval, so that it ends at :to and keeps its order
-- and spacing. Its cost history, its rows' creation, its IP assignments and its reconciliation runs
-- then lie in the month it stands for, and the as-of figures of that month (what a close freezes)
-- are the demo's own. Payments and usage are seeded per month already and are left alone.
WITH shift AS (
    SELECT :since::timestamptz AS since, clock_timestamp() - :to::timestamptz AS by
), history AS (
    UPDATE cost_history h SET changed_at = h.changed_at - s.by FROM shift s WHERE h.changed_at >= s.since RETURNING 1
), vps AS (
    UPDATE vps_instances v SET created = v.created - s.by, updated = v.updated - s.by
      FROM shift s WHERE v.created >= s.since RETURNING 1
), ips AS (
    UPDATE smtp_ip_addresses i SET created = i.created - s.by, updated = i.updated - s.by
      FROM shift s WHERE i.created >= s.since RETURNING 1
), assignments AS (
    UPDATE domain_ip_assignments a SET assigned = a.assigned - s.by FROM shift s WHERE a.assigned >= s.since RETURNING 1
), tenants AS (
    UPDATE tenants t SET created = t.created - s.by FROM shift s WHERE t.created >= s.since RETURNING 1
), subscriptions AS (
    UPDATE subscriptions x SET created = x.created - s.by FROM shift s WHERE x.created >= s.since RETURNING 1
), domains AS (
    UPDATE domains d SET created = d.created - s.by FROM shift s WHERE d.created >= s.since RETURNING 1
), runs AS (
    UPDATE cost_reconciliation_runs r SET started_at = r.started_at - s.by, finished_at = r.finished_at - s.by
      FROM shift s WHERE r.started_at >= s.since RETURNING 1
), price_changes AS (
    UPDATE cost_catalogue_price_changes c SET detected_at = c.detected_at - s.by FROM shift s WHERE c.detected_at >= s.since RETURNING 1
), events AS (
    -- relayed already (the demo settles first): when each row was created or decommissioned, as savings reads it
    UPDATE cost_sync_events e SET created_at = e.created_at - s.by, relayed_at = e.relayed_at - s.by
      FROM shift s WHERE e.created_at >= s.since RETURNING 1
), anomalies AS (
    UPDATE cost_anomalies a SET detected_at = a.detected_at - s.by FROM shift s WHERE a.detected_at >= s.since RETURNING 1
)
SELECT (SELECT count(*) FROM history)::int AS history,
       (SELECT count(*) FROM vps)::int + (SELECT count(*) FROM ips)::int AS resources,
       (SELECT count(*) FROM runs)::int AS runs,
       (SELECT count(*) FROM assignments)::int + (SELECT count(*) FROM tenants)::int
         + (SELECT count(*) FROM subscriptions)::int + (SELECT count(*) FROM domains)::int
         + (SELECT count(*) FROM price_changes)::int + (SELECT count(*) FROM anomalies)::int
         + (SELECT count(*) FROM events)::int AS other
