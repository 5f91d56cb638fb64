-- An opportunity's stable id as src/services/savings/identity.ts's opportunityId computes it, for a row "k"
-- with its kind and resource (the VPS row, the IP row or the untracked serviceid, as text).
CASE k.kind WHEN 'billing_cycle' THEN 'cyc' WHEN 'idle_ip' THEN 'ip' WHEN 'idle_vps' THEN 'vps'
            WHEN 'billed_after_decommission' THEN 'dec' ELSE 'unt' END
    || '-' || left(encode(sha256(convert_to(k.kind || ':' || k.resource, 'UTF8')), 'hex'), 10)
