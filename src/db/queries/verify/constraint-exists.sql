SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = :name AND conrelid = to_regclass(:table)) AS ok
