-- The fleet's monthly subscription revenue now (executive_fleet_summary's fleet row), exact text.
SELECT monthly_subscription_revenue::text AS revenue FROM executive_fleet_summary WHERE row_kind = 'fleet'
