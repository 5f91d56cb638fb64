-- The per-VPS months of an import into months that hold no rows yet (the usual month end): the
-- fresh rows (vps-months-fresh.sql, the same rule as refresh-vps-months.sql) are inserted as they
-- come, without refresh-vps-months.sql's full join against the old rows, whose result it keeps
-- (materialized, being read three times) and sorts again for the insert: at a first import's size,
-- 850,000 rows written to disk twice with nothing to compare them with. When any touched month
-- holds a row this statement inserts nothing, and refresh-vps-months.sql runs (as it does when
-- there is nothing to insert). Only imports write the table, one at a time (begin-import.sql).
-- The count is the command's row count: no RETURNING, whose rows would be kept to be counted.
WITH /* @include vps-months-fresh */
INSERT INTO invoice_vps_months (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
SELECT month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from FROM fresh
 -- A probe of the primary key per touched month (month leads it), not a scan of every month held.
 WHERE NOT EXISTS (SELECT 1 FROM invoice_touched_months t
                    WHERE EXISTS (SELECT 1 FROM invoice_vps_months o WHERE o.month = t.month))
