INSERT INTO cost_price_watch_runs (trigger) VALUES (:trigger) RETURNING id::text
