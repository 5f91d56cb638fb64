-- The months the file's lines apply to, gathered as the lines were staged.
INSERT INTO invoice_touched_months (month)
SELECT DISTINCT m FROM unnest(:months::date[]) AS m
ON CONFLICT DO NOTHING
