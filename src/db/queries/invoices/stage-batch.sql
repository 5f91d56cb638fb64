-- One batch of lines, one array per column: a few thousand lines per round trip, in constant
-- memory, without a COPY dependency.
INSERT INTO invoice_staging
SELECT b.invoice_number, b.line_no, b.file_line, b.invoice_date, b.service_id, b.hostname, b.ip, b.description,
       b.amount_usd, b.kind, b.category, b.period_start, b.period_end, b.monthly_method, b.monthly_usd,
       b.first_month, b.month_usd::numeric(12,2)[]
  FROM unnest(:invoiceNumber::text[], :lineNo::int[], :fileLine::int[], :invoiceDate::date[], :serviceId::text[],
              :hostname::text[], :ip::text[], :description::text[], :amountUsd::numeric[], :kind::text[],
              :category::text[], :periodStart::date[], :periodEnd::date[], :monthlyMethod::text[],
              :monthlyUsd::numeric[], :firstMonth::date[], :monthUsd::text[])
    AS b(invoice_number, line_no, file_line, invoice_date, service_id, hostname, ip, description, amount_usd, kind,
         category, period_start, period_end, monthly_method, monthly_usd, first_month, month_usd)
