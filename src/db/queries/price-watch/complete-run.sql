UPDATE cost_price_watch_runs
   SET status = 'completed', finished_at = now(), baseline = :baseline::boolean, prices = :prices::int,
       changes = :changes::int, hostwinds_calls = :calls::int
 WHERE id = :runId::uuid
