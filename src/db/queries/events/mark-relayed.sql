UPDATE cost_sync_events SET relayed_at = clock_timestamp() WHERE id = ANY(:ids::bigint[])
