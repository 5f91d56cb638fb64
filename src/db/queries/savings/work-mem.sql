-- For the enclosing transaction only: room for the refresh's fleet-wide hash tables (every IP's
-- use, every VPS's IPs, the opportunities found) in memory. At 100k VPS and 300k IPs the default
-- 4 MB spilled them to temporary files and sorted on disk.
SET LOCAL work_mem = '64MB'
