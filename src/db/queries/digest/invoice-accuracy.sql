-- The latest imported invoice month's accuracy (invoice_monthly_accuracy; zero or one row).
SELECT to_char(month, 'YYYY-MM') AS month, accuracy::text AS accuracy, invoiced_usd::text AS invoiced
  FROM invoice_monthly_accuracy
 ORDER BY month DESC
 LIMIT 1
