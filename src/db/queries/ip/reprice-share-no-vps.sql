-- The bulk IP repricing's update of the IPs of one share with no VPS, which meet a one-row stand-in of NULLs
-- (repriceAllIps): the same rule and stale guard as reprice-share-history, in two statements so that the
-- large one joins VPS rather than the IP table to itself.
UPDATE smtp_ip_addresses i
         SET approximate_cost = /* @include ip-rule-value */, approximate_cost_source = /* @include ip-rule-source */,
             approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
        FROM (SELECT NULL::uuid AS id, NULL::text AS status) v WHERE i.vps_instance_id IS NULL AND mod(uuid_hash(i.id) & 2147483647, :of::int) = :share::int AND NOT /* @include ip-rule-stale */
         AND (i.approximate_cost, i.approximate_cost_source) IS DISTINCT FROM (/* @include ip-rule-value */, /* @include ip-rule-source */)
