-- The savings refresh compares each opportunity's figures with the stored row in SQL, column by column
-- (docs/savings.md, "Performance"): the hash of the figures the process used to send is no longer
-- written or read. Safe to rerun.
ALTER TABLE cost_savings_opportunities DROP COLUMN IF EXISTS row_hash;
