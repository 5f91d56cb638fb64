-- The weekly digest (docs/observability.md, "The digest"): when each digest was taken, so that the
-- next one covers what changed since. Written by the scheduled job once it has posted the digest;
-- `report digest` reads the latest row and writes nothing.
CREATE TABLE IF NOT EXISTS cost_digests (
    id           bigserial PRIMARY KEY,
    taken_at     timestamptz NOT NULL DEFAULT now(),
    period_start timestamptz NOT NULL,
    trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    fleet_cost   numeric(14,2) NOT NULL,
    CHECK (period_start <= taken_at)
);
CREATE INDEX IF NOT EXISTS cost_digests_taken_at ON cost_digests (taken_at DESC);
COMMENT ON TABLE cost_digests IS
'Each digest cost-sync posted: when it was taken and the period it covered (internal cost modelling, not billing).';

GRANT SELECT ON cost_digests TO business_analysts, executives;
GRANT ALL ON cost_digests TO db_administrators;
