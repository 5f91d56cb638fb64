SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS started, status, vps_checked, vps_changed, vps_unpriced, ip_checked, ip_changed, anomalies, hostwinds_calls,
       total_before::text, total_after::text, monthly_cost_difference::text
  FROM cost_reconciliation_runs
