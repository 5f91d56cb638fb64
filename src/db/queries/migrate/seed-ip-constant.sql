-- First value of the IP constant, from SMTP_IP_MONTHLY_COST_USD: run only by the `migrate` that
-- created the row (src/migrator/migrate.ts), so Finance's value is never replaced. Recorded with
-- who ran `migrate` (nothing when it equals the migration's default); system_config.updated_by is
-- never written.
WITH old AS (SELECT key, value FROM system_config WHERE key = :key FOR UPDATE),
up AS (
  UPDATE system_config s SET value = to_jsonb(:usd::text), updated = now()
    FROM old WHERE s.key = old.key AND old.value IS DISTINCT FROM to_jsonb(:usd::text)
  RETURNING s.key, old.value AS old_value, s.value
)
INSERT INTO cost_sync_setting_changes (key, old_value, new_value, changed_by, reason)
SELECT key, old_value, value, :changedBy, 'first value, from SMTP_IP_MONTHLY_COST_USD (migrate)' FROM up
