-- Whether the demo database exists, and the comment that marks it as the demo's own.
SELECT shobj_description(oid, 'pg_database') AS comment
  FROM pg_database
 WHERE datname = :name
