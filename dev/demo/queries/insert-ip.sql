INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status) VALUES (:vpsId::uuid, :address, :status) RETURNING id::text
