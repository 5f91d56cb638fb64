SELECT value->>'completed_at' AS at, value->>'run_id' AS run FROM system_config WHERE key = :key
