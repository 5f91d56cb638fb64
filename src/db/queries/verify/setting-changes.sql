SELECT to_regclass('cost_sync_setting_changes') IS NOT NULL
   AND EXISTS (SELECT 1 FROM pg_attribute
                WHERE attrelid = to_regclass('cost_history') AND attname = 'changed_by' AND NOT attisdropped) AS ok
