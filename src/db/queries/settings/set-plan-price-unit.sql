-- Changes the unit of plans.price_monthly and records who changed it and why, in one statement
-- (the row is locked before it is written, as for the IP constant). system_config.updated_by is
-- the application's column: never written.
WITH old AS (SELECT value FROM system_config WHERE key = :key FOR UPDATE),
up AS (
  INSERT INTO system_config (key, value, description, category, is_sensitive, updated)
  SELECT :key, to_jsonb(:value::text), 'Unit of plans.price_monthly used by the executive views: "cents" or "dollars".',
         'cost_modelling', false, now()
    FROM (VALUES (1)) AS one LEFT JOIN old ON true
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()
  RETURNING key, value
)
INSERT INTO cost_sync_setting_changes (key, old_value, new_value, changed_by, reason)
SELECT up.key, (SELECT value FROM old), up.value, :changedBy, :reason FROM up
 WHERE (SELECT value FROM old) IS DISTINCT FROM up.value
