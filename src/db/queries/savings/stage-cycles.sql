-- Stages one batch of billing_cycle opportunities judged by the refresh (the process judges each VPS's
-- cycle from its plan or its get_billingcycle_prices answer) in savings_found.
INSERT INTO savings_found (id, kind, vps_id, ip_id, serviceid, ip, tenant_id, monthly_saving, upfront,
                           break_even_months, method, evidence, facts_hash)
SELECT x.id, x.kind, x."vpsId", NULL, x."serviceId", NULL, x."tenantId", x."monthlySaving", x.upfront,
       x."breakEvenMonths", x.method, x.evidence, x."factsHash"
  FROM jsonb_to_recordset(:batch::jsonb) AS x(
        id text, kind text, "vpsId" uuid, "serviceId" text, "tenantId" uuid, "monthlySaving" numeric,
        upfront numeric, "breakEvenMonths" numeric, method text, evidence jsonb, "factsHash" text)
