-- What the stored fits must have been computed from to be current: the window :first..:last and,
-- per month, its fleet row's history_id and computed_at (a month's refresh rewrites every row of
-- it, the fleet's too), next to the basis the stored fits were computed from (NULL: none stored).
SELECT to_char(:first::date, 'YYYY-MM') || '..' || to_char(:last::date, 'YYYY-MM') || ' ' ||
       COALESCE((SELECT string_agg(to_char(f.month, 'YYYY-MM') || '#' || f.history_id::text || '@' ||
                                   extract(epoch FROM f.computed_at)::text, ' ' ORDER BY f.month)
                   FROM cost_month_end_figures f
                  WHERE f.scope = 'fleet' AND f.scope_id = '' AND f.month BETWEEN :first::date AND :last::date), '')
       AS current,
       (SELECT basis FROM cost_forecast_fit_basis) AS stored
