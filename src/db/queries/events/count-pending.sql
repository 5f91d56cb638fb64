SELECT count(*)::int AS n FROM cost_sync_events WHERE relayed_at IS NULL
