INSERT INTO cost_savings_cycle_answers (run_id, serviceid, outcome, prices, reason)
SELECT :runId::uuid, a."serviceId"::bigint, a.outcome, a.prices, a.reason
  FROM jsonb_to_recordset(:answers::jsonb) AS a("serviceId" text, outcome text, prices jsonb, reason text)
ON CONFLICT (run_id, serviceid) DO UPDATE SET outcome = EXCLUDED.outcome, prices = EXCLUDED.prices,
       reason = EXCLUDED.reason, fetched_at = now()
