SELECT EXISTS (SELECT 1 FROM smtp_ip_addresses WHERE id = :id::uuid) AS found
