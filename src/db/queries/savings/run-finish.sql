UPDATE cost_savings_runs
   SET finished_at = clock_timestamp(), opportunities = :opportunities, opened = :opened, done = :done,
       reopened = :reopened, calls_billingcycle = :calls, cycle_unknown = :cycleUnknown
 WHERE id = :id::bigint
