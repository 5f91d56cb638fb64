-- The latest two imported invoice months (invoice_monthly_accuracy), newest first: the page's invoice
-- accuracy card shows the first and its change since the second.
SELECT to_char(month, 'YYYY-MM') AS month,
       accuracy::text AS accuracy,
       invoiced_usd::text AS invoiced
  FROM invoice_monthly_accuracy
 ORDER BY month DESC
 LIMIT 2
