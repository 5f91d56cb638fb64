-- How old the attribution behind the views is, and whether any cost exists to attribute.
SELECT max(refreshed_at) AS refreshed_at,
       floor(extract(epoch FROM now() - max(refreshed_at)))::bigint AS age_seconds,
       EXISTS (SELECT 1 FROM vps_instances WHERE approximate_cost > 0)
         OR EXISTS (SELECT 1 FROM smtp_ip_addresses WHERE approximate_cost > 0) AS has_cost
  FROM cost_attribution_by_tenant
