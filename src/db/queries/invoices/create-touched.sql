-- The calendar months the import recomputes: those the file's lines apply to, and those the lines
-- it replaces or removes applied to.
CREATE TEMP TABLE invoice_touched_months (month date PRIMARY KEY) ON COMMIT DROP
