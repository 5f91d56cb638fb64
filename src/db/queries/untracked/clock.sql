-- The database's clock, read just before get_instances: a VPS row changed after it is not judged
-- against that listing (record-ghosts.sql).
SELECT clock_timestamp() AS now
