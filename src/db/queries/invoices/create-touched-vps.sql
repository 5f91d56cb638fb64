-- The VPS whose lines the import replaced or removed: their monthly_cost is decided again.
CREATE TEMP TABLE invoice_touched_vps (vps_id uuid PRIMARY KEY) ON COMMIT DROP
