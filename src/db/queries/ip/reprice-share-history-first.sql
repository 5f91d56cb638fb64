-- The history of one share of the bulk IP repricing (repriceAllIps, src/db/writes/ip-costs.ts), written
-- first from the transaction's snapshot, sorted by id; returns the share's counts. The rows themselves
-- are updated next by reprice-share-vps and reprice-share-no-vps, by the same rule.
-- A job's first attempt: no history row can carry its key yet, so the insert skips ON CONFLICT's
-- per-row speculative insertion (a third of the history cost). Should the key still be hit, the
-- transaction fails and the retry runs reprice-share-history, with ON CONFLICT DO NOTHING.
WITH t AS (
       /* @include ip-priced */
        WHERE mod(uuid_hash(i.id) & 2147483647, :of::int) = :share::int
     ),
     hist AS (
       /* @include cost-history */ FROM t WHERE NOT stale AND old_value IS DISTINCT FROM new_value ORDER BY id
     )
    SELECT count(*)::int AS checked, count(*) FILTER (WHERE NOT stale AND old_value IS DISTINCT FROM new_value)::int AS changed,
           count(*) FILTER (WHERE stale)::int AS skipped FROM t
