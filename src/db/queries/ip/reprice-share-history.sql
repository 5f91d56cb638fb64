-- The history of one share of the bulk IP repricing (repriceAllIps, src/db/writes/ip-costs.ts), written
-- first from the transaction's snapshot, sorted by id; returns the share's counts. The rows themselves
-- are updated next by reprice-share-vps and reprice-share-no-vps, by the same rule.
-- A retry's (RepriceAllOptions.mayRepeat): a row a previous attempt recorded is skipped.
WITH t AS (
       /* @include ip-priced */
        WHERE mod(uuid_hash(i.id) & 2147483647, :of::int) = :share::int
     ),
     hist AS (
       /* @include cost-history */ FROM t WHERE NOT stale AND old_value IS DISTINCT FROM new_value ORDER BY id
       ON CONFLICT DO NOTHING
     )
    SELECT count(*)::int AS checked, count(*) FILTER (WHERE NOT stale AND old_value IS DISTINCT FROM new_value)::int AS changed,
           count(*) FILTER (WHERE stale)::int AS skipped FROM t
