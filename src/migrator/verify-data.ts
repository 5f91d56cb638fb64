import type pg from "pg";
import { centsOf, formatCents } from "../money.js";
import { MONEY_GUARDS } from "./objects.js";
import { query, statement, type NoParams } from "../db/sql.js";
import { moneyRowsStatement } from "./check/rows.js";
import { ID_LIMIT } from "./check/report.js";
import { fail, pass, warn, type Check } from "./verify-result.js";

/** Past this age the attribution behind the executive views is reported (it is refreshed every 10 minutes). */
const ATTRIBUTION_MAX_AGE_SECONDS = 3600;

/** The functions migration 20261126200100 pins to pg_catalog first. */
const PINNED_FUNCTIONS = [
  "cost_sync_sees_all_tenants",
  "cost_sync_current_tenant",
  "cost_sync_record_event",
  "cost_sync_record_views_event",
];

const CONSERVATION = statement<
  NoParams,
  {
    base_vps: string;
    base_ip: string;
    attributed_vps: string;
    attributed_ip: string;
    unallocated: string;
    refreshed_at: Date | null;
    latest_change: Date | null;
    stale: boolean | null;
  }
>("verify/conservation");
const UNEXPLAINED = statement<{ limit: number }, { ids: string[] | null; count: number }>(
  "verify/unexplained-zero-cost",
);
const AGE = statement<NoParams, { refreshed_at: Date | null; age_seconds: string | null; has_cost: boolean }>(
  "verify/attribution-age",
);
const DUPLICATES = statement<{ limit: number }, { ids: string[] | null; count: number }>(
  "verify/duplicate-service-ids",
);
const PINNED = statement<
  { names: string[] },
  { name: string; search_path: string | null; definer: boolean; found: boolean }
>("verify/pinned-functions");
/** The trigger functions that write the outbox for whichever role writes the application's tables. */
const EVENT_FUNCTIONS = ["cost_sync_record_event", "cost_sync_record_views_event"];
const GUARDED = statement<{ tables: string[]; names: string[] }, { table: string; constraint: string }>(
  "check/money-guards",
);

const rows = (r: { ids: string[] | null; count: number } | undefined) => ({ ids: r?.ids ?? [], count: r?.count ?? 0 });

const moneyChecks: Check[] = MONEY_GUARDS.map((g) => ({
  name: `${g.table}.${g.column} holds no negative or NaN amount`,
  async run(c: pg.Client) {
    const found = rows((await query(c, moneyRowsStatement(g), {}))[0]);
    return found.count
      ? fail(`${String(found.count)} rows are negative or NaN (docs/first-deployment.md)`, found)
      : pass();
  },
}));

const nanConstraints: Check = {
  name: "the money constraints reject NaN",
  async run(c) {
    const guarded = await query(c, GUARDED, {
      tables: MONEY_GUARDS.map((g) => g.table),
      names: MONEY_GUARDS.map((g) => g.constraint),
    });
    const have = new Set(guarded.map((r) => r.constraint));
    const missing = MONEY_GUARDS.filter((g) => !have.has(g.constraint)).map((g) => `${g.table}.${g.constraint}`);
    return missing.length ? fail(`NaN passes: ${missing.join(", ")}; run \`cost-sync migrate\``) : pass();
  },
};

const conservation: Check = {
  name: "conservation: attributed + unallocated = total modelled cost, to the cent",
  async run(c) {
    const [r] = await query(c, CONSERVATION, {});
    if (!r) return fail("no result");
    const cents = (v: string) => centsOf(v) ?? 0n;
    const base = cents(r.base_vps) + cents(r.base_ip);
    const attributed = cents(r.attributed_vps) + cents(r.attributed_ip);
    const figures = `attributed ${formatCents(attributed - cents(r.unallocated))} + unallocated ${r.unallocated} = ${formatCents(attributed)}; base tables ${formatCents(base)} (vps ${r.base_vps}, ip ${r.base_ip})`;
    if (base === attributed && cents(r.base_vps) === cents(r.attributed_vps)) return pass(figures);
    if (r.stale === true) {
      return warn(
        `stale, run \`cost-sync refresh\`: ${figures}; attribution refreshed ${r.refreshed_at?.toISOString() ?? "never"}, costs changed ${r.latest_change?.toISOString() ?? "?"}`,
      );
    }
    return fail(
      `mismatch on fresh figures: ${figures} (after bulk SQL on costs, run \`cost-sync refresh\` and verify again)`,
    );
  },
};

const unexplainedZero: Check = {
  name: "every active, provisioning or scheduled_decommission VPS has a cost or an unpriced reason",
  async run(c) {
    const found = rows((await query(c, UNEXPLAINED, { limit: ID_LIMIT }))[0]);
    return found.count
      ? warn(
          `${String(found.count)} VPS cost 0.00 with no reason: \`cost-sync sync vps <id>\` or \`cost-sync reconcile\``,
          found,
        )
      : pass();
  },
};

const attributionAge: Check = {
  name: "the attribution behind the views is under an hour old",
  async run(c) {
    const [r] = await query(c, AGE, {});
    if (!r?.refreshed_at)
      return r?.has_cost
        ? warn("costs exist but nothing is attributed: run `cost-sync refresh`")
        : pass("no cost to attribute yet");
    const age = Number(r.age_seconds ?? 0);
    const text = `refreshed ${r.refreshed_at.toISOString()} (${String(Math.floor(age / 60))} min ago)`;
    return age > ATTRIBUTION_MAX_AGE_SECONDS
      ? warn(`${text}: is the worker running? \`cost-sync refresh\``)
      : pass(text);
  },
};

const duplicateServiceIds: Check = {
  name: "no two VPS name the same Hostwinds instance (service ids equal without leading zeros)",
  async run(c) {
    const found = rows((await query(c, DUPLICATES, { limit: ID_LIMIT }))[0]);
    return found.count
      ? fail(`${String(found.count)} service ids are held by more than one VPS: keep one row per instance`, found)
      : pass();
  },
};

const pinnedSearchPath: Check = {
  name: "the isolation and event functions pin their search_path (pg_catalog first)",
  async run(c) {
    const r = await query(c, PINNED, { names: PINNED_FUNCTIONS });
    const bad = r
      .filter((f) => !f.found || !/^search_path="?pg_catalog"?,/.test(f.search_path ?? ""))
      .map((f) => `${f.name} (${f.found ? (f.search_path ?? "not pinned") : "missing"})`);
    return bad.length ? fail(`${bad.join(", ")}: run \`cost-sync migrate\``) : pass();
  },
};

const eventFunctionsDefiner: Check = {
  name: "the event trigger functions run with their owner's rights (the application's role needs no grant)",
  async run(c) {
    const r = await query(c, PINNED, { names: EVENT_FUNCTIONS });
    const bad = r.filter((f) => !f.definer).map((f) => `${f.name} (${f.found ? "SECURITY INVOKER" : "missing"})`);
    return bad.length ? fail(`${bad.join(", ")}: run \`cost-sync migrate\``) : pass();
  },
};

/** The checks of the data, after the checks of the objects. */
export const DATA_CHECKS: Check[] = [
  nanConstraints,
  ...moneyChecks,
  conservation,
  unexplainedZero,
  attributionAge,
  duplicateServiceIds,
  pinnedSearchPath,
  eventFunctionsDefiner,
];
