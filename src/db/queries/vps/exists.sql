SELECT EXISTS (SELECT 1 FROM vps_instances WHERE id = :id::uuid) AS found
