-- The month of the earliest cost change (UTC): before it, every month-end figure is 0.00.
SELECT to_char(min(changed_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM cost_history
