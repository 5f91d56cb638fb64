-- The import's statements run once each over freshly written temporary tables whose row counts the
-- planner overestimates by orders of magnitude, which makes it JIT-compile every large statement:
-- the compilation costs more than the statement itself. For this transaction only.
SET LOCAL jit = off
