VACUUM (ANALYZE) vps_instances, smtp_ip_addresses
