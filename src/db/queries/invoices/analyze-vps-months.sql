-- As analyze-lines.sql, for the per-VPS months the VPS months step just wrote, which monthly_cost
-- and the drift anomalies read.
ANALYZE invoice_vps_months (month, vps_id, invoiced_usd)
