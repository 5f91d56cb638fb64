-- The schema snapshot: every column of the current schema's tables and views, in column order, with
-- its type as format_type prints it, NOT NULL, its default expression and identity kind.
SELECT c.relname::text AS relation,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default,
       NULLIF(a.attidentity::text, '') AS identity
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relnamespace = current_schema()::regnamespace
   AND c.relkind IN ('r', 'p', 'v', 'm')
 ORDER BY c.relname COLLATE "C", a.attnum
