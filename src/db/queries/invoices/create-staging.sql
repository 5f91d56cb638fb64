-- The file's lines, as read, before matching: a temporary table the batches stream into, so the
-- matching and the upsert run once, set-based, over the whole file.
CREATE TEMP TABLE invoice_staging (
    invoice_number text NOT NULL,
    line_no        int NOT NULL,
    file_line      int NOT NULL,
    invoice_date   date NOT NULL,
    service_id     text,
    hostname       text,
    ip             text,
    description    text NOT NULL,
    amount_usd     numeric(12,2) NOT NULL,
    kind           text NOT NULL,
    category       text NOT NULL,
    period_start   date,
    period_end     date,
    monthly_method text NOT NULL,
    monthly_usd    numeric(12,2) NOT NULL,
    first_month    date NOT NULL,
    month_usd      numeric(12,2)[] NOT NULL
) ON COMMIT DROP
