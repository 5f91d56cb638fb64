-- An opportunity's facts as src/services/savings/identity.ts's stableJson writes { kind, facts }: object keys
-- sorted, no spaces, strings as JSON writes them (PostgreSQL escapes them as JavaScript does). For a
-- row "f" with its kind and facts (jsonb); sha256 of it is the facts hash. Each kind's keys are listed: a
-- kind not listed gives NULL (refused by savings_found), never a hash of other facts.
'{"facts":' || CASE f.kind
    WHEN 'idle_ip' THEN '{"cost":' || COALESCE((f.facts->'cost')::text, 'null')
        || ',"since":' || COALESCE((f.facts->'since')::text, 'null')
        || ',"status":' || COALESCE((f.facts->'status')::text, 'null') || '}'
    WHEN 'idle_vps' THEN '{"ips":[' || COALESCE((
        SELECT string_agg('{"cost":' || COALESCE((e->'cost')::text, 'null')
                          || ',"idleSince":' || COALESCE((e->'idleSince')::text, 'null')
                          || ',"ip":' || COALESCE((e->'ip')::text, 'null')
                          || ',"status":' || COALESCE((e->'status')::text, 'null') || '}', ',' ORDER BY x.n)
          FROM jsonb_array_elements(f.facts->'ips') WITH ORDINALITY AS x(e, n)), '')
        || '],"vpsCost":' || COALESCE((f.facts->'vpsCost')::text, 'null') || '}'
    WHEN 'billed_after_decommission' THEN '{"invoiceMonth":' || COALESCE((f.facts->'invoiceMonth')::text, 'null')
        || ',"invoicedUsd":' || COALESCE((f.facts->'invoicedUsd')::text, 'null') || '}'
    WHEN 'untracked' THEN '{"cost":' || COALESCE((f.facts->'cost')::text, 'null')
        || ',"plan":' || COALESCE((f.facts->'plan')::text, 'null') || '}'
END || ',"kind":' || to_json(f.kind)::text || '}'
