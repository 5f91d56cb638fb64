INSERT INTO cost_catalogue_mismatches (run_id, group_key, serviceid, catalogue_price, instance_price)
SELECT :runId::uuid, m."groupKey", m.serviceid, m.catalogue, m.instance
  FROM jsonb_to_recordset(:mismatches::jsonb) AS m("groupKey" text, serviceid text, catalogue text, instance text)
ON CONFLICT (run_id, group_key, serviceid) DO NOTHING
