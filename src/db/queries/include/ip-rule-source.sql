-- Where the IP rule's value (ip-rule-value) comes from; :constantSource names the system_config key.
CASE WHEN i.approximate_cost_override IS NOT NULL THEN 'override'
                WHEN v.id IS NULL THEN 'no vps'
                WHEN v.status = 'decommissioned' THEN 'vps decommissioned'
                ELSE :constantSource END
