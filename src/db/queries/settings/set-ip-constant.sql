-- Changes the IP constant and records who changed it and why, in one statement; returns the
-- previous value. The row is locked before it is written (the INSERT reads `old` first), so the
-- recorded old value is the one replaced. system_config.updated_by is the application's column:
-- never written (docs/first-deployment.md).
WITH old AS (SELECT value FROM system_config WHERE key = :key FOR UPDATE),
up AS (
  INSERT INTO system_config (key, value, description, category, is_sensitive, updated)
  SELECT :key, to_jsonb(:value::text), 'Modelled monthly cost in USD of one dedicated SMTP IP', 'cost_modelling', false, now()
    FROM (VALUES (1)) AS one LEFT JOIN old ON true
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()
  RETURNING key, value
),
logged AS (
  INSERT INTO cost_sync_setting_changes (key, old_value, new_value, changed_by, reason)
  SELECT up.key, (SELECT value FROM old), up.value, :changedBy, :reason FROM up
   WHERE (SELECT value FROM old) IS DISTINCT FROM up.value
)
SELECT (SELECT value #>> '{}' FROM old) AS old FROM up
