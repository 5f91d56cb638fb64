SELECT to_regclass(:name) IS NOT NULL AND obj_description(to_regclass(:name), 'pg_class') IS NOT NULL AS ok
