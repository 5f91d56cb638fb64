INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
VALUES (:key, to_jsonb(:value::text), 'Unit of plans.price_monthly used by the executive views: "cents" or "dollars".',
        'cost_modelling', false, :updatedBy, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated = now()
