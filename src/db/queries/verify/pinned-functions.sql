-- The search_path each of cost-sync's functions runs with (migration 20261126200100): NULL when
-- the function is missing, no entry when it is not pinned.
SELECT f.name,
       (SELECT c FROM pg_proc p, unnest(p.proconfig) AS c
         WHERE p.oid = to_regprocedure(f.name || '()') AND c LIKE 'search_path=%') AS search_path,
       to_regprocedure(f.name || '()') IS NOT NULL AS found
  FROM unnest(:names::text[]) AS f(name)
