-- Which money CHECK constraints already reject NaN (their rows need no look).
SELECT g.tbl AS table, g.name AS constraint
  FROM unnest(:tables::text[], :names::text[]) AS g(tbl, name)
  JOIN pg_constraint k ON k.conname = g.name AND k.conrelid = to_regclass(g.tbl)
 WHERE pg_get_constraintdef(k.oid) LIKE '%''NaN''%'
