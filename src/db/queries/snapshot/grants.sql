-- The schema snapshot: what roles other than its owner were granted on each table and view of the
-- current schema (the views' access matrix), one row per grantee, privileges sorted.
SELECT c.relname::text AS relation,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee,
       array_agg(a.privilege_type::text ORDER BY a.privilege_type COLLATE "C") AS privileges
  FROM pg_class c
 CROSS JOIN LATERAL aclexplode(c.relacl) a
 WHERE c.relnamespace = current_schema()::regnamespace
   AND a.grantee <> c.relowner
 GROUP BY c.relname, a.grantee
 ORDER BY c.relname COLLATE "C", 2
