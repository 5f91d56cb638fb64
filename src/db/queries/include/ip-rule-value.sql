-- The IP pricing rule, over `i` (the IP) and `v` (its VPS; all NULL when it has none): override, else
-- 0.00 on no VPS or a decommissioned one, else the constant (:constant). One definition for every IP
-- write (with ip-rule-source and ip-rule-stale), so targeted syncs and the bulk repricing cannot disagree.
CASE WHEN i.approximate_cost_override IS NOT NULL THEN i.approximate_cost_override
               WHEN v.id IS NULL OR v.status = 'decommissioned' THEN 0.00
               ELSE :constant::numeric END
