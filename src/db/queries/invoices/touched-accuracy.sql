-- The accuracy of the months an import touched, as the view shows them (inside the import's
-- transaction: a dry run shows what the import would make of them).
SELECT to_char(a.month, 'YYYY-MM') AS month, a.invoiced_usd::text, a.modelled_usd::text, a.abs_drift_usd::text,
       a.accuracy::text, a.vps_invoiced, a.vps_not_invoiced, a.unmatched_lines, a.other_spend_usd::text
  FROM invoice_monthly_accuracy a
  JOIN invoice_touched_months t ON t.month = a.month
 ORDER BY a.month
