INSERT INTO invoice_touched_months (month)
SELECT DISTINCT (s.first_month + (n - 1) * interval '1 month')::date
  FROM invoice_staging s, generate_series(1, cardinality(s.month_usd)) n
ON CONFLICT DO NOTHING
