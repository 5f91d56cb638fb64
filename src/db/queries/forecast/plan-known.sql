-- Whether a Hostwinds plan rid priced any VPS (now or in cost_history): a plan the forecast and
-- budgets may name.
SELECT EXISTS (SELECT 1 FROM vps_instances WHERE approximate_cost_source LIKE 'get_price_list rid ' || :rid::text || ' %')
    OR EXISTS (SELECT 1 FROM cost_month_end_figures WHERE scope = 'plan' AND scope_id = :rid::text)
    OR EXISTS (SELECT 1 FROM cost_history WHERE resource_kind = 'vps' AND source LIKE 'get_price_list rid ' || :rid::text || ' %')
       AS known
