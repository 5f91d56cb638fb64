UPDATE cost_price_watch_runs
   SET status = 'failed', finished_at = now(), hostwinds_calls = :calls::int, error = left(:error, 2000)
 WHERE id = :runId::uuid
