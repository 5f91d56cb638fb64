-- Invoices as they really come (docs/invoices.md): WHMCS item types and relid, lines matched by host
-- name through the latest reconciliation's listing, lines matching two live VPS kept apart as
-- ambiguous, and invoices replaced whole when a corrected file is imported. Rerunnable.

-- Every instance a reconciliation's get_instances listed, tracked or not, with its host name: what
-- an invoice line that names only its host is matched through (host -> serviceid -> VPS row).
CREATE TABLE IF NOT EXISTS cost_listed_instances (
    run_id    uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    serviceid text NOT NULL,
    hostname  text,
    status    text,
    PRIMARY KEY (run_id, serviceid)
);
CREATE INDEX IF NOT EXISTS idx_cost_listed_instances_host ON cost_listed_instances (run_id, (rtrim(lower(hostname), '.')));
COMMENT ON TABLE cost_listed_instances IS
'Every instance each reconciliation''s get_instances listed (tracked or not), with its host name and status: invoice lines naming only a host are matched through the latest run''s list. Fleet-level; internal modelling.';
REVOKE ALL ON cost_listed_instances FROM PUBLIC;
GRANT SELECT ON cost_listed_instances TO business_analysts, executives;
GRANT ALL ON cost_listed_instances TO db_administrators;

-- WHMCS's own item fields, how the service id and the host name were read, and the candidates of a
-- line that matched more than one live VPS (it is then 'ambiguous' and attributed to none).
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS line_type text;
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS relid text;
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS service_id_source text;
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS hostname_source text;
ALTER TABLE invoice_lines ADD COLUMN IF NOT EXISTS candidates text[];
COMMENT ON COLUMN invoice_lines.line_type IS 'WHMCS''s item type as the file gave it (Hosting, PromoHosting, Addon, Upgrade, LateFee, ...), if it did.';
COMMENT ON COLUMN invoice_lines.relid IS 'WHMCS''s relid as the file gave it: the service id only for Hosting and PromoHosting.';
COMMENT ON COLUMN invoice_lines.candidates IS 'For matched = ambiguous: the serviceids of the live VPS rows the line matched.';
ALTER TABLE invoice_lines DROP CONSTRAINT IF EXISTS invoice_lines_matched_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_matched_check
    CHECK (matched IN ('vps', 'ip', 'other', 'unmatched', 'ambiguous'));
ALTER TABLE invoice_lines DROP CONSTRAINT IF EXISTS invoice_lines_matched_by_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_matched_by_check
    CHECK (matched_by IN ('service_id', 'ip', 'hostname'));
COMMENT ON TABLE invoice_lines IS
'Hostwinds invoice lines imported from Finance''s CSV files, with the VPS or IP each matched (matched = vps, ip, other for fleet-level spend, ambiguous, or unmatched) and how (matched_by). An invoice in a later file replaces its lines whole. Fleet-level cost data.';

-- A close freezes the month's own revenue and payments (docs/month-close.md): the payments that
-- succeeded for the month, beside the subscription revenue of the subscriptions live in it.
ALTER TABLE cost_month_closes ADD COLUMN IF NOT EXISTS payments_received numeric(14,2);
COMMENT ON COLUMN cost_month_closes.payments_received IS
'Payments that succeeded for the month (billing period starting in it, else processed in it), USD; NULL for closes made before this column.';
