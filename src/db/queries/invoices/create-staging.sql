-- The file's lines, as read, before matching: a temporary table the COPY streams into, so the
-- matching and the upsert run once, set-based, over the whole file. Lines are numbered within
-- their invoice by the matching (file order), not by the reader, so that memory does not hold one
-- counter per invoice number: the reader notes only the run of consecutive lines of one invoice
-- each line is in (run: the place of the run's first line among the staged lines, from 1) and the
-- line's place in that run (run_line, from 1).
CREATE TEMP TABLE invoice_staging (
    invoice_number    text NOT NULL,
    file_line         int NOT NULL,
    invoice_date      date NOT NULL,
    line_type         text,
    relid             text,
    service_id        text,
    service_id_source text,
    hostname          text,
    hostname_source   text,
    ip                text,
    description       text NOT NULL,
    amount_usd        numeric(12,2) NOT NULL,
    kind              text NOT NULL,
    category          text NOT NULL,
    period_start      date,
    period_end        date,
    monthly_method    text NOT NULL,
    monthly_usd       numeric(12,2) NOT NULL,
    first_month       date NOT NULL,
    month_usd         numeric(12,2)[] NOT NULL,
    run               int NOT NULL,
    run_line          int NOT NULL
) ON COMMIT DROP
