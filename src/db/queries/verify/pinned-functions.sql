-- The search_path each of cost-sync's functions runs with (migration 20261126200100), and whether it
-- runs with its owner's rights (20261126100300): `found` false when the function is missing.
SELECT f.name,
       (SELECT c FROM pg_proc p, unnest(p.proconfig) AS c
         WHERE p.oid = to_regprocedure(f.name || '()') AND c LIKE 'search_path=%') AS search_path,
       COALESCE((SELECT p.prosecdef FROM pg_proc p WHERE p.oid = to_regprocedure(f.name || '()')), false) AS definer,
       to_regprocedure(f.name || '()') IS NOT NULL AS found
  FROM unnest(:names::text[]) AS f(name)
