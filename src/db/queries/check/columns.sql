-- The columns of the named relations, in order: type as format_type prints it, NOT NULL, and
-- whether an INSERT that leaves the column out still gets a value (default, identity, generated).
SELECT n.name AS relation,
       a.attname::text AS column,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default
  FROM unnest(:names::text[]) AS n(name)
  JOIN pg_attribute a ON a.attrelid = to_regclass(n.name) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY n.name, a.attnum
