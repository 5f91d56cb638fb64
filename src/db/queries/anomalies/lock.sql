-- The anomalies named by id, locked until the transaction that changes their state ends.
SELECT a.id::text, a.state
  FROM cost_anomalies a
 WHERE a.id = ANY (:ids::bigint[])
 ORDER BY a.id
   FOR UPDATE
