-- A cost-sync setting stored in system_config as a JSON string.
SELECT value #>> '{}' AS v FROM system_config WHERE key = :key
