-- A VPS whose invoiced monthly equivalent differs from its modelled cost by at least both anomaly
-- thresholds (ANOMALY_THRESHOLD_USD and ANOMALY_THRESHOLD_PERCENT of the modelled cost; the USD
-- threshold alone when nothing was modelled) is an anomaly of kind 'vps invoice', one per VPS and
-- month: old_value = modelled, new_value = invoiced. Recomputed for the months this import touches:
-- a re-import of the same figures writes nothing, and a drift back within the thresholds removes it.
WITH drift AS (
    SELECT m.month, m.vps_id, m.modelled_usd, m.invoiced_usd,
           m.invoiced_usd - COALESCE(m.modelled_usd, 0) AS change
      FROM invoice_vps_months m JOIN invoice_touched_months t ON t.month = m.month
     WHERE m.invoiced_usd IS NOT NULL
), beyond AS (
    SELECT * FROM drift
     WHERE abs(change) >= :usd::numeric
       AND (COALESCE(modelled_usd, 0) = 0 OR abs(change) / modelled_usd * 100 >= :percent::numeric)
), upserted AS (
    INSERT INTO cost_anomalies AS a (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct,
                                     invoice_month)
    SELECT NULL, 'vps invoice', vps_id, modelled_usd, invoiced_usd, change,
           CASE WHEN COALESCE(modelled_usd, 0) = 0 THEN NULL ELSE round(change / modelled_usd * 100, 2) END, month
      FROM beyond
    ON CONFLICT (resource_kind, resource_id, invoice_month) WHERE invoice_month IS NOT NULL DO UPDATE
       SET old_value = EXCLUDED.old_value, new_value = EXCLUDED.new_value, change_usd = EXCLUDED.change_usd,
           change_pct = EXCLUDED.change_pct, detected_at = now(),
           -- Other figures are a new finding: whoever acknowledged the old ones has not seen these.
           state = 'open', acknowledged_by = NULL, acknowledged_at = NULL, note = NULL,
           resolved_by = NULL, resolved_at = NULL, resolution_note = NULL
     WHERE (a.old_value, a.new_value) IS DISTINCT FROM (EXCLUDED.old_value, EXCLUDED.new_value)
    RETURNING 1
), removed AS (
    DELETE FROM cost_anomalies a
     USING invoice_touched_months t
     WHERE a.resource_kind = 'vps invoice' AND a.invoice_month = t.month
       -- Kept unless its VPS month is still beyond the thresholds: looked up in invoice_vps_months by
       -- its primary key (one probe per anomaly, or one hash join), never in the CTE. A NOT IN over
       -- `beyond` is hashed only while the planner thinks it fits in work_mem, and is a scan of
       -- `beyond` per anomaly past that; a NOT EXISTS over the CTE was planned as such a scan too.
       -- resource_id is never NULL for a 'vps invoice' anomaly.
       AND NOT EXISTS (SELECT 1 FROM invoice_vps_months m
                        WHERE m.month = a.invoice_month AND m.vps_id = a.resource_id AND m.invoiced_usd IS NOT NULL
                          AND abs(m.invoiced_usd - COALESCE(m.modelled_usd, 0)) >= :usd::numeric
                          AND (COALESCE(m.modelled_usd, 0) = 0
                               OR abs(m.invoiced_usd - COALESCE(m.modelled_usd, 0)) / m.modelled_usd * 100
                                  >= :percent::numeric))
    RETURNING 1
)
SELECT (SELECT count(*) FROM beyond)::int AS anomalies, (SELECT count(*) FROM upserted)::int AS written,
       (SELECT count(*) FROM removed)::int AS removed
