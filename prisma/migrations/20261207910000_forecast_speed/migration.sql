-- The forecast at fleet scale (issue 23, "Performance"; docs/forecast.md): the cost-as-of functions
-- without JIT compilation. At 100k VPS their statements are planned at costs that make PostgreSQL
-- JIT-compile, inline and optimise them on every call (once per month of history filled into
-- cost_month_end_figures), which takes longer than running them. Their bodies are unchanged.
-- (An index on cost_history (changed_at) was tried and left out: forecast/stale-months.sql then
-- scanned it for every month instead of reading the few rows newer than the cache by id.)
-- Every statement is safe to rerun.
ALTER FUNCTION cost_resources_as_of(timestamptz) SET jit = off;
ALTER FUNCTION cost_attribution_as_of(timestamptz) SET jit = off;
ALTER FUNCTION cost_plans_as_of(timestamptz) SET jit = off;
