-- The staged opportunities whose stored current row records the same figures, compared column by column
-- (kind, resource, tenant, amounts, method, evidence, facts hash): savings/apply.sql writes none of them.
-- A statement of its own, before the recording one: there, an anti-join against the table it inserts
-- into, planned on an empty table as a nested loop, rescans every row inserted so far for each row.
INSERT INTO savings_unchanged (id)
SELECT g.id
  FROM savings_found g
  JOIN cost_savings_opportunities o ON o.id = g.id
 WHERE o.current AND o.state <> 'done'
   AND (o.kind, o.vps_id, o.ip_id, o.serviceid, o.ip, o.tenant_id, o.monthly_saving, o.upfront, o.break_even_months,
        o.method, o.evidence, o.facts_hash)
       IS NOT DISTINCT FROM (g.kind, g.vps_id, g.ip_id, g.serviceid, g.ip, g.tenant_id, g.monthly_saving, g.upfront,
        g.break_even_months, g.method, g.evidence, g.facts_hash)
