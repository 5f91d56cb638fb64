-- report invoices without --month: the latest month any imported line applies to.
SELECT to_char(max(month), 'YYYY-MM') AS month FROM invoice_month_totals
