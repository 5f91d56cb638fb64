-- The VPS that may save on a longer cycle (savings/cycle-candidates.sql), numbered, for the refresh to
-- judge a batch at a time (savings/cycle-rows.sql); dropped at the end of its transaction.
CREATE TEMPORARY TABLE savings_cycle_rows (
    n int PRIMARY KEY,
    "vpsId" text,
    "serviceId" text,
    "tenantId" text,
    "monthlyCost" text,
    cycle text NOT NULL,
    "runId" text NOT NULL,
    catalogue boolean NOT NULL,
    "groupKey" text,
    "ownPriceReason" text,
    vps int NOT NULL
) ON COMMIT DROP
