INSERT INTO tenants (name) VALUES (:name) RETURNING id::text
