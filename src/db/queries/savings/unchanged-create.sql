-- The staged opportunities whose stored current row records the same figures (savings/unchanged.sql),
-- for the recording statement to leave alone; dropped at the end of the refresh's transaction.
CREATE TEMPORARY TABLE savings_unchanged (id text PRIMARY KEY) ON COMMIT DROP
