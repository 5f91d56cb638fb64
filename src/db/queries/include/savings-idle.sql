-- Which VPS are idle (docs/savings.md, "idle_vps"), and every IP read once with its use: the CTEs params,
-- ip_use, ip_state, vps_ips and idle_vps_ids, for a statement's WITH (:idleDays is the including statement's).
params AS (
    SELECT :idleDays::int AS idle_days, now() - make_interval(days => :idleDays::int) AS idle_before
),
ip_use AS (
    -- "Idle since": the latest expires of its assignments (or the latest assigned when none has an
    -- expiry); a scheduled assignment is use, as active and warming are.
    SELECT a.smtp_ip_address_id AS ip_id,
           bool_or(a.status IN ('active', 'warming', 'scheduled')) AS live,
           COALESCE(max(a.expires), max(a.assigned)) AS last_use
      FROM domain_ip_assignments a
     GROUP BY a.smtp_ip_address_id
),
ip_state AS MATERIALIZED (
    -- Every IP, read once: whether it costs money (priced above 0), carries mail, and has been idle
    -- long enough; the VPS below and the idle IPs' rows read these rows, not the table again.
    SELECT i.id, i.vps_instance_id, i.ip_address, i.status, i.assigned_count, i.approximate_cost AS cost,
           COALESCE(i.approximate_cost > 0 AND i.approximate_cost <> 'NaN'::numeric, false) AS priced,
           COALESCE(u.live, false) AS live,
           COALESCE(u.last_use, i.created) AS idle_since,
           i.status IN ('burned', 'quarantined') AS spent,
           (NOT COALESCE(u.live, false) AND COALESCE(u.last_use, i.created, '-infinity') <= p.idle_before) AS long_idle
      FROM smtp_ip_addresses i
      LEFT JOIN ip_use u ON u.ip_id = i.id
      CROSS JOIN params p
),
vps_ips AS (
    -- per VPS: whether every IP that costs money is idle (or burned, quarantined), and whether any
    -- IP, billed or not, carries mail (an IP that is not billed but carries mail makes its VPS busy)
    SELECT s.vps_instance_id AS vps_id,
           bool_and(NOT s.priced OR s.long_idle OR s.spent) AS all_idle,
           bool_or(s.live) AS any_live
      FROM ip_state s
     WHERE s.vps_instance_id IS NOT NULL
     GROUP BY s.vps_instance_id
),
idle_vps_ids AS (
    -- which VPS are idle; their facts are built below for these only
    SELECT v.id
      FROM vps_instances v
      LEFT JOIN vps_ips s ON s.vps_id = v.id
      CROSS JOIN params p
     WHERE v.status IN ('active', 'provisioning')
       AND COALESCE(v.created, '-infinity') <= p.idle_before
       AND COALESCE(s.all_idle, true) AND NOT COALESCE(s.any_live, false)
)
