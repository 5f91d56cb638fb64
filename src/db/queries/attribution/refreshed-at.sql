-- When the figures behind the views were last refreshed (NULL: no tenant with an active subscription yet).
SELECT GREATEST((SELECT max(refreshed_at) FROM tenant_business_snapshot),
                (SELECT max(refreshed_at) FROM cost_attribution_by_tenant)) AS at
