-- Hostwinds calls of a run, by purpose (and in all).
UPDATE cost_reconciliation_runs
   SET hostwinds_calls = hostwinds_calls + :list + :learn + :verify + :fallback,
       calls_list = calls_list + :list,
       calls_learn = calls_learn + :learn,
       calls_verify = calls_verify + :verify,
       calls_fallback = calls_fallback + :fallback
 WHERE id = :runId::uuid
