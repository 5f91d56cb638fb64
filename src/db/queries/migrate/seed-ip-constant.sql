-- First fill of the IP constant from SMTP_IP_MONTHLY_COST_USD; Finance owns it afterwards.
UPDATE system_config
   SET value = to_jsonb(:usd::text), updated = now(), updated_by = 'migration (SMTP_IP_MONTHLY_COST_USD)'
 WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd' AND updated_by = 'migration'
