-- The import's joins, sorts and anti-joins run over every line and VPS of the touched months: with
-- the default 4MB they spill to disk in hundreds of batches. For this transaction only.
SET LOCAL work_mem = '64MB'
