-- Freshness of the model: when the last reconciliation completed (the worker's bookkeeping, not a
-- setting anyone changes: not recorded in cost_sync_setting_changes). updated_by is never written.
INSERT INTO system_config (key, value, description, category, is_sensitive, updated)
VALUES (:key, jsonb_build_object('completed_at', :at::timestamptz, 'run_id', :runId::text),
        'When the last cost-sync reconciliation completed (freshness of the cost model)', 'cost_modelling', false, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()
