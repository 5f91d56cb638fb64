-- The lines a correction removed or moved to other months, for the import's report.
CREATE TEMP TABLE invoice_corrections (
    change         text NOT NULL,
    invoice_number text NOT NULL,
    line_no        int NOT NULL,
    description    text NOT NULL,
    amount_usd     numeric(12,2) NOT NULL,
    old_months     text,
    new_months     text,
    new_file_line  int
) ON COMMIT DROP
