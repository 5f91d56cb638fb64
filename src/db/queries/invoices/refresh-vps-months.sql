-- Recomputes invoice_vps_months for the months this import touches, from every imported line
-- (not only this file's), so the order files are imported in does not matter.
-- The rows the months should hold are vps-months-fresh.sql's (its comments say how they are made);
-- insert-vps-months.sql writes them when the months hold none yet, which is the usual month end.
WITH /* @include vps-months-fresh */, diff AS (
    -- The fresh rows against the rows the touched months hold, in one join: a row is inserted, updated
    -- (only when a figure differs) or deleted, and a row that is unchanged is not written. Plain
    -- INSERT and UPDATE instead of an upsert, whose per-row speculative insertion and second probe
    -- of the primary key cost as much as the write. One import runs at a time (begin-import.sql) and
    -- only imports write this table, so no other transaction adds or removes these rows meanwhile.
    SELECT f.month, f.vps_id, f.invoiced_usd, f.invoice_lines, f.modelled_usd, f.modelled_from,
           o.month AS old_month, o.vps_id AS old_vps_id
      FROM fresh f
      FULL JOIN (SELECT o.* FROM invoice_vps_months o WHERE o.month IN (SELECT month FROM invoice_touched_months)) o
        ON o.month = f.month AND o.vps_id = f.vps_id
     WHERE f.month IS NULL OR o.month IS NULL
        OR (o.invoiced_usd, o.invoice_lines, o.modelled_usd, o.modelled_from)
           IS DISTINCT FROM (f.invoiced_usd, f.invoice_lines, f.modelled_usd, f.modelled_from)
), inserted AS (
    INSERT INTO invoice_vps_months (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
    SELECT month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from FROM diff
     WHERE old_month IS NULL
    -- In key order: the primary key's pages are then filled one after another, not all over it.
     ORDER BY month, vps_id
    RETURNING 1
), updated AS (
    UPDATE invoice_vps_months o
       SET invoiced_usd = d.invoiced_usd, invoice_lines = d.invoice_lines, modelled_usd = d.modelled_usd,
           modelled_from = d.modelled_from
      FROM diff d
     WHERE d.month IS NOT NULL AND d.old_month IS NOT NULL AND o.month = d.old_month AND o.vps_id = d.old_vps_id
    RETURNING 1
), removed AS (
    DELETE FROM invoice_vps_months o
     USING diff d
     WHERE d.month IS NULL AND o.month = d.old_month AND o.vps_id = d.old_vps_id
    RETURNING 1
)
SELECT ((SELECT count(*) FROM inserted) + (SELECT count(*) FROM updated))::int AS written,
       (SELECT count(*) FROM removed)::int AS removed
