-- Hostwinds invoices (docs/invoices.md, "Importing"). Finance's invoice CSV files are imported
-- line by line; each line is kept with what it matched, and per month the invoiced figures are
-- set beside the model's. Invoices are cost data: only the fleet-reading roles may read them, never
-- application_service (tenants never see what the infrastructure costs). Every step is rerunnable.

-- One row per invoice line, keyed as the file numbers it (invoice number, position among that
-- invoice's lines), so importing the same file again finds every line already there.
CREATE TABLE IF NOT EXISTS invoice_lines (
    invoice_number      text NOT NULL,
    line_no             int  NOT NULL CHECK (line_no >= 1),
    file_line           int  NOT NULL,
    invoice_date        date NOT NULL,
    service_id          text,
    hostname            text,
    ip                  text,
    description         text NOT NULL,
    amount_usd          numeric(12,2) NOT NULL CHECK (amount_usd <> 'NaN'::numeric),
    kind                text NOT NULL CHECK (kind IN ('vps', 'ip', 'other')),
    category            text NOT NULL,
    period_start        date,
    period_end          date,
    monthly_method      text NOT NULL CHECK (monthly_method IN ('whole-months', 'days', 'one-off')),
    monthly_usd         numeric(12,2) NOT NULL CHECK (monthly_usd <> 'NaN'::numeric),
    -- The monthly figures per calendar month, from first_month on (the pure layer's perMonth):
    -- an array keeps a quarterly line one row.
    first_month         date NOT NULL CHECK (first_month = date_trunc('month', first_month)::date),
    month_usd           numeric(12,2)[] NOT NULL CHECK (cardinality(month_usd) >= 1 AND 'NaN'::numeric <> ALL (month_usd)),
    matched             text NOT NULL CHECK (matched IN ('vps', 'ip', 'other', 'unmatched')),
    matched_by          text CHECK (matched_by IN ('service_id', 'ip')),
    vps_id              uuid,
    ip_id               uuid,
    untracked_serviceid text,
    imported_by         text NOT NULL,
    imported_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (invoice_number, line_no),
    CHECK ((matched IN ('vps', 'ip')) = (vps_id IS NOT NULL OR ip_id IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS idx_invoice_lines_first_month ON invoice_lines (first_month);
COMMENT ON TABLE invoice_lines IS
'Hostwinds invoice lines imported from Finance''s CSV files, with the VPS or IP each matched (matched = vps, ip, other for fleet-level spend, or unmatched). Not deleted by a later import. Fleet-level cost data.';
COMMENT ON COLUMN invoice_lines.month_usd IS
'Monthly-equivalent USD per calendar month: month_usd[n] applies to first_month + (n - 1) months.';
COMMENT ON COLUMN invoice_lines.untracked_serviceid IS
'For an unmatched line: the Hostwinds instance of the latest reconciliation''s untracked list it names (by service id or host name).';

-- Per month and VPS: what was invoiced and what the model said, as of the last import touching the
-- month. A VPS is here when it was invoiced that month, or modelled above 0.00 (then invoiced_usd is NULL).
CREATE TABLE IF NOT EXISTS invoice_vps_months (
    month         date NOT NULL CHECK (month = date_trunc('month', month)::date),
    vps_id        uuid NOT NULL,
    invoiced_usd  numeric(12,2) CHECK (invoiced_usd <> 'NaN'::numeric),
    invoice_lines int NOT NULL,
    modelled_usd  numeric(8,2) CHECK (modelled_usd <> 'NaN'::numeric),
    modelled_from text NOT NULL,
    PRIMARY KEY (month, vps_id)
);
COMMENT ON TABLE invoice_vps_months IS
'Per month and VPS: invoiced monthly equivalent (NULL = not invoiced) and the approximate_cost in effect at the end of the month (cost_history, else the current value; modelled_from says which).';

-- Per month, the fleet-level figures that are not per VPS.
CREATE TABLE IF NOT EXISTS invoice_month_totals (
    month            date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
    total_usd        numeric(14,2) NOT NULL,
    ip_lines         int NOT NULL,
    ip_invoiced_usd  numeric(14,2) NOT NULL,
    ip_typical_usd   numeric(12,2),
    other_lines      int NOT NULL,
    other_spend_usd  numeric(14,2) NOT NULL,
    unmatched_lines  int NOT NULL,
    unmatched_usd    numeric(14,2) NOT NULL
);
COMMENT ON TABLE invoice_month_totals IS
'Per month: all monthly equivalents invoiced, IP lines (and the most common per-IP monthly figure), fleet-level other spend, and lines that matched nothing.';

-- monthly_cost is the application's column: each time an import fills it, the change is recorded here.
CREATE TABLE IF NOT EXISTS vps_monthly_cost_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vps_id        uuid NOT NULL,
    old_value     numeric(10,2),
    new_value     numeric(10,2) NOT NULL CHECK (new_value >= 0 AND new_value <> 'NaN'::numeric),
    invoice_month date NOT NULL,
    source        text NOT NULL,
    reason        text NOT NULL,
    changed_by    text NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_vps_monthly_cost_changes_vps ON vps_monthly_cost_changes (vps_id, id);
COMMENT ON TABLE vps_monthly_cost_changes IS
'Every value an invoice import wrote into vps_instances.monthly_cost (the latest invoiced month''s monthly equivalent), with the month, the source and who imported.';

-- Drift anomalies come from an invoice month, not a run: one per VPS and month, replaced on re-import.
ALTER TABLE cost_anomalies ADD COLUMN IF NOT EXISTS invoice_month date;
COMMENT ON COLUMN cost_anomalies.invoice_month IS
'For resource_kind ''vps invoice'': the invoiced month whose drift (new_value invoiced - old_value modelled) is beyond the thresholds.';
CREATE UNIQUE INDEX IF NOT EXISTS uq_cost_anomalies_invoice
    ON cost_anomalies (resource_kind, resource_id, invoice_month) WHERE invoice_month IS NOT NULL;

-- Fleet accuracy per month: 1 - sum|modelled - invoiced| / sum invoiced over the invoiced VPS
-- (a VPS invoiced but not modelled counts as modelled 0.00). Month close reads these names.
CREATE OR REPLACE VIEW invoice_monthly_accuracy AS
SELECT t.month,
       COALESCE(v.invoiced_usd, 0.00)::numeric(14,2) AS invoiced_usd,
       COALESCE(v.modelled_usd, 0.00)::numeric(14,2) AS modelled_usd,
       COALESCE(v.abs_drift_usd, 0.00)::numeric(14,2) AS abs_drift_usd,
       CASE WHEN v.invoiced_usd > 0 THEN round(1 - v.abs_drift_usd / v.invoiced_usd, 4) END AS accuracy,
       COALESCE(v.vps_invoiced, 0) AS vps_invoiced,
       COALESCE(v.vps_not_invoiced, 0) AS vps_not_invoiced,
       t.unmatched_lines,
       t.unmatched_usd,
       t.other_spend_usd,
       t.ip_lines,
       t.ip_invoiced_usd,
       t.ip_typical_usd,
       t.total_usd AS total_invoiced_usd
  FROM invoice_month_totals t
  LEFT JOIN (SELECT month,
                    sum(invoiced_usd) AS invoiced_usd,
                    sum(COALESCE(modelled_usd, 0)) FILTER (WHERE invoiced_usd IS NOT NULL) AS modelled_usd,
                    sum(abs(COALESCE(modelled_usd, 0) - invoiced_usd)) AS abs_drift_usd,
                    count(*) FILTER (WHERE invoiced_usd IS NOT NULL)::int AS vps_invoiced,
                    count(*) FILTER (WHERE invoiced_usd IS NULL)::int AS vps_not_invoiced
               FROM invoice_vps_months GROUP BY month) v ON v.month = t.month;
COMMENT ON VIEW invoice_monthly_accuracy IS
'Per invoiced month: matched VPS invoiced vs modelled, accuracy = 1 - abs_drift_usd / invoiced_usd (4 decimals; NULL when nothing was invoiced), VPS modelled but not invoiced, unmatched lines, fleet-level other spend and IP lines. Fleet-level cost data.';

REVOKE ALL ON invoice_lines, invoice_vps_months, invoice_month_totals, vps_monthly_cost_changes,
              invoice_monthly_accuracy FROM PUBLIC, application_service;
GRANT SELECT ON invoice_lines, invoice_vps_months, invoice_month_totals, vps_monthly_cost_changes,
                invoice_monthly_accuracy TO business_analysts, executives;
GRANT ALL ON invoice_lines, invoice_vps_months, invoice_month_totals, vps_monthly_cost_changes,
             invoice_monthly_accuracy TO db_administrators;
