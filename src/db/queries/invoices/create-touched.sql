-- The calendar months the file's lines apply to: the months whose figures the import recomputes.
CREATE TEMP TABLE invoice_touched_months (month date PRIMARY KEY) ON COMMIT DROP
