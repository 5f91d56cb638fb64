-- One price watch compares and records at a time (a manual run beside the scheduled one): held to
-- the end of the transaction, so the second reads the copy the first wrote and finds no change twice.
SELECT pg_advisory_xact_lock(hashtext('cost-sync price watch'))::text AS locked
