-- Money that cannot poison anything (docs/data-model.md, "Values PostgreSQL accepts that money
-- must not"): numeric holds 'NaN', and 'NaN' >= 0 is true, so the CHECK constraints of
-- 20261101000100 and cost_history's let it through; one NaN then breaks every sum and the
-- attribution's refresh. Each constraint is replaced, under the same name, by one that also
-- rejects NaN. Rerunnable: a constraint whose definition already excludes NaN is left alone.
-- Existing rows that break the new rule make this fail: `cost-sync migrate --check` lists them.
DO $$
DECLARE
    k record;
BEGIN
    FOR k IN SELECT * FROM (VALUES
        ('vps_instances', 'chk_vps_approximate_cost_positive', 'approximate_cost'),
        ('smtp_ip_addresses', 'chk_smtp_approximate_cost_positive', 'approximate_cost'),
        ('vps_instances', 'chk_vps_approximate_cost_override_positive', 'approximate_cost_override'),
        ('smtp_ip_addresses', 'chk_smtp_approximate_cost_override_positive', 'approximate_cost_override'),
        ('cost_history', 'cost_history_new_value_check', 'new_value')
    ) AS t(tbl, name, col) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_constraint
                        WHERE conname = k.name AND conrelid = to_regclass(k.tbl)
                          AND pg_get_constraintdef(oid) LIKE '%''NaN''%') THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I, ADD CONSTRAINT %I CHECK (%I >= 0 AND %I <> ''NaN''::numeric)',
                           k.tbl, k.name, k.name, k.col, k.col);
        END IF;
    END LOOP;
END $$;
