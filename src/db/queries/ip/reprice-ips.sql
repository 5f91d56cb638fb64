-- Reprices the IPs given by id by the one IP rule, in one statement with their history and anomalies
-- (repriceIps, src/db/writes/ip-costs.ts). The rows are locked first so that history's old values are exact.
WITH target AS (
       /* @include ip-priced */
        WHERE i.id = ANY(:ipIds::uuid[])
        ORDER BY i.id FOR UPDATE OF i
     ),
     /* @include ip-reprice */
