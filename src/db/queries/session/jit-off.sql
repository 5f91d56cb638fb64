-- For the enclosing transaction only: no JIT compilation. The fleet-wide statements (savings,
-- forecast) are planned at costs that make PostgreSQL JIT-compile, inline and optimise them, which
-- took longer than running them (savings apply at 10k VPS: 8.6 s of JIT for 0.7 s of work).
SET LOCAL jit = off
