-- One import at a time: the per-month figures are recomputed from every line, and two imports
-- recomputing the same month at once would each miss the other's lines.
SELECT pg_advisory_xact_lock(hashtext('cost-sync invoices import'))
