-- The daily price watch (docs/hostwinds-client.md, "The daily price watch"): once a day the worker
-- reads the catalogue (get_price_list, 1 call) and compares it with the copy it kept the day before.
-- A plan and cycle whose price changed is a fleet-level anomaly ('catalogue price change'), with how
-- many of our VPS are on it; one member per changed plan is asked its own price, which confirms the
-- change for existing services or not (Hostwinds usually keeps them at their old price).

-- The last copy: one row per plan and recurring cycle the catalogue offers (price > 0).
CREATE TABLE IF NOT EXISTS cost_catalogue_prices (
    rid           text NOT NULL,
    billing_cycle text NOT NULL,
    price         numeric NOT NULL CHECK (price > 0 AND price <> 'NaN'::numeric),
    seen_at       timestamptz NOT NULL,
    PRIMARY KEY (rid, billing_cycle)
);
COMMENT ON TABLE cost_catalogue_prices IS
'The Hostwinds catalogue (get_price_list without a serviceid) as the latest price watch read it: each plan''s offered price per recurring cycle, exact as sent.';

CREATE TABLE IF NOT EXISTS cost_price_watch_runs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger     text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
    baseline    boolean NOT NULL DEFAULT false,
    prices      int,
    changes     int,
    hostwinds_calls int NOT NULL DEFAULT 0,
    error       text
);
COMMENT ON TABLE cost_price_watch_runs IS
'One run of the daily price watch: baseline (the first copy, no comparison), the prices read, the changes found and the Hostwinds calls it made.';
CREATE INDEX IF NOT EXISTS idx_cost_price_watch_runs_finished ON cost_price_watch_runs (finished_at DESC) WHERE status = 'completed';

CREATE TABLE IF NOT EXISTS cost_catalogue_price_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watch_run_id   uuid NOT NULL REFERENCES cost_price_watch_runs(id) ON DELETE CASCADE,
    rid            text NOT NULL,
    billing_cycle  text NOT NULL,
    old_price      numeric NOT NULL CHECK (old_price > 0 AND old_price <> 'NaN'::numeric),
    new_price      numeric NOT NULL CHECK (new_price > 0 AND new_price <> 'NaN'::numeric),
    vps_on_plan    int NOT NULL CHECK (vps_on_plan >= 0),
    confirmed      boolean,
    verified_serviceid text,
    verified_note  text,
    detected_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (watch_run_id, rid, billing_cycle)
);
COMMENT ON TABLE cost_catalogue_price_changes IS
'A catalogue price that changed between two price watches, with how many VPS were priced on that plan and cycle, and whether one of them confirmed it for existing services (NULL: none could be asked).';
COMMENT ON COLUMN cost_catalogue_price_changes.confirmed IS
'true: the member''s own get_price_list(serviceid) shows the new price (members are repriced from their own answers); false: it still shows another price; NULL: no member to ask, or its answer could not be read.';

-- A catalogue price change is about a plan, not one resource: its anomaly has no resource_id and
-- points at the change instead.
ALTER TABLE cost_anomalies ALTER COLUMN resource_id DROP NOT NULL;
ALTER TABLE cost_anomalies ADD COLUMN IF NOT EXISTS price_change_id bigint
    REFERENCES cost_catalogue_price_changes(id) ON DELETE CASCADE;
COMMENT ON COLUMN cost_anomalies.price_change_id IS
'For resource_kind ''catalogue price change'': the change (plan, cycle, old and new price, VPS on it, confirmation); resource_id is NULL then.';
CREATE UNIQUE INDEX IF NOT EXISTS uq_cost_anomalies_price_change ON cost_anomalies (price_change_id)
    WHERE price_change_id IS NOT NULL;

REVOKE ALL ON cost_catalogue_prices, cost_price_watch_runs, cost_catalogue_price_changes FROM PUBLIC;
GRANT SELECT ON cost_catalogue_prices, cost_price_watch_runs, cost_catalogue_price_changes TO business_analysts, executives;
GRANT ALL ON cost_catalogue_prices, cost_price_watch_runs, cost_catalogue_price_changes TO db_administrators;
