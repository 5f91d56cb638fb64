-- Included by the cost writes: `anom AS (...)`, among the rows of their `changed` CTE those beyond both
-- anomaly thresholds of a reconciliation run (either direction), recorded in the same statement. A first
-- pricing (from 0.00, or from nothing) is not an anomaly: a new VPS going from 0.00 to its price says
-- nothing unusual. A no-op when :runId is NULL (no rule).
-- Parameters: :runId, :kind, :usd (the dollar threshold, exact), :percent.
anom AS (
       INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
       SELECT :runId::uuid, :kind, id, old_value, new_value, new_value - COALESCE(old_value, 0),
              CASE WHEN COALESCE(old_value, 0) = 0 THEN NULL ELSE round((new_value - old_value) / old_value * 100, 2) END
         FROM changed
        WHERE :runId::uuid IS NOT NULL AND COALESCE(old_value, 0) <> 0
          AND abs(new_value - old_value) >= :usd::numeric
          AND abs(new_value - old_value) / old_value * 100 >= :percent::numeric
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
