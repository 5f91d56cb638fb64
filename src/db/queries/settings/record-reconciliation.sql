-- Freshness of the model: when the last reconciliation completed.
INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
VALUES (:key, jsonb_build_object('completed_at', :at::timestamptz, 'run_id', :runId::text),
        'When the last cost-sync reconciliation completed (freshness of the cost model)', 'cost_modelling', false, 'cost-sync', now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()
