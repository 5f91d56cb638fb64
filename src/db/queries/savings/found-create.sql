-- The opportunities one refresh found, staged in its transaction (dropped at its end): the SQL kinds
-- written by savings/candidates.sql, the billing cycles judged by the process in batches
-- (savings/stage-cycles.sql); savings/apply.sql records them from here. Nothing of the fleet's
-- opportunities is held by the process at once.
CREATE TEMPORARY TABLE savings_found (
    id text PRIMARY KEY,
    kind text NOT NULL,
    vps_id uuid,
    ip_id uuid,
    serviceid text,
    ip text,
    tenant_id uuid,
    monthly_saving numeric,
    upfront numeric,
    break_even_months numeric,
    method text NOT NULL,
    evidence jsonb NOT NULL,
    facts_hash text NOT NULL
) ON COMMIT DROP
