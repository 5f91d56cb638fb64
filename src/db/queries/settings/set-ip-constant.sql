-- Changes the IP constant; returns the previous value.
WITH old AS (SELECT value #>> '{}' AS v FROM system_config WHERE key = :key)
INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
VALUES (:key, to_jsonb(:value::text), 'Modelled monthly cost in USD of one dedicated SMTP IP', 'cost_modelling', false, :updatedBy, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated = now()
RETURNING (SELECT v FROM old) AS old
