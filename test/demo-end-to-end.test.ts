import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthsAgo } from "../dev/demo/money.js";
import { notePgDeprecationsIn } from "./support/pg-deprecations.js";
import { adminQuery, PG_ADMIN_URL, urlFor, withClient } from "./support/pg.js";

/**
 * `npm run demo` end to end, as a new user runs it (`cost-sync demo --yes` as a child process), on a
 * database and a queue prefix of this run's own: never cost_sync_demo, which a developer may be
 * using, nor another test's. The demo compresses three months; its closes must freeze the months'
 * own history (the month before last before Hostwinds' price change, last month after it).
 */
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/cost-sync.mjs");
const REDIS_URL = "redis://127.0.0.1:6379";
const name = `cs_demo_e2e_${randomBytes(4).toString("hex")}`;
const prefix = `cs-test-${randomBytes(4).toString("hex")}`;
const [before, last] = [monthsAgo(2), monthsAgo(1)];
let run: { code: number | null; stdout: string; stderr: string };

function demo(): Promise<typeof run> {
  const server = new URL(PG_ADMIN_URL);
  const child = spawn(process.execPath, [BIN, "demo", "--yes", "--database", name], {
    env: { PATH: process.env.PATH, DATABASE_URL: server.toString(), REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn" }, // prettier-ignore
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      notePgDeprecationsIn(stderr, `cost-sync demo (pid ${String(child.pid)})`);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** The text from a line starting with `start` up to the next blank line. */
const section = (start: string) => {
  const from = run.stdout.indexOf(start);
  return from < 0 ? "" : run.stdout.slice(from, run.stdout.indexOf("\n\n", from) + 1 || undefined);
};

beforeAll(async () => {
  run = await demo();
}, 300_000);

afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

describe("npm run demo", () => {
  it("exits 0 on a fresh database", () => {
    expect(run.stderr).not.toMatch(/cannot be closed|failed|Error/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`1. demo database ${name} on ${new URL(PG_ADMIN_URL).host}`);
  });

  it("closes the month before last from its own history, before the price change, and last month after it", async () => {
    const lastDay = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)), 0)).getUTCDate();
    const closeOf = (m: string) => section(`closed ${m}:`);
    // Seven VPS and thirteen IPs priced by the simulator; shared-1's semiannual plan goes from 18.99 to 29.99.
    expect(closeOf(before)).toContain("cost       125.18 USD (VPS 65.30, IP 59.88; unallocated 0.00)");
    expect(closeOf(before)).toContain("revenue    476.00 USD (payments received for the month 476.00)");
    expect(closeOf(before)).toContain(`figures as of ${before}-${String(lastDay(before))}T23:59:59.999Z`);
    expect(closeOf(last)).toContain("cost       136.18 USD (VPS 76.30, IP 59.88; unallocated 0.00)");
    expect(closeOf(last)).toContain("untracked  9.99 USD/month (1 instance(s), not in cost)");
    expect(closeOf(last)).toContain(`figures as of ${last}-${String(lastDay(last))}T23:59:59.999Z`);
    expect(section("MONTH    REVENUE")).toMatch(new RegExp(`${last} +476\\.00 +136\\.18 +339\\.82 +71\\.39 +11\\.00`));
    // The frozen figures are the as-of figures of each month's last instant, which the history holds.
    const closes = await withClient(urlFor(name), async (c) => {
      const r = await c.query<{ month: string; total: string; asOf: string }>(
        `SELECT to_char(c.month, 'YYYY-MM') AS month, c.total_cost::text AS total,
                (SELECT sum(a.vps_cost + a.ip_cost)::text FROM cost_attribution_as_of(c.figures_as_of) a) AS "asOf"
           FROM cost_month_closes c ORDER BY c.month`,
      );
      return r.rows;
    });
    expect(closes).toEqual([
      { month: before, total: "125.18", asOf: "125.18" },
      { month: last, total: "136.18", asOf: "136.18" },
    ]);
  });

  it("imports last month's WHMCS-shaped invoice with 0 bad lines, saying how lines matched and the date order", () => {
    expect(run.stdout).toMatch(/invoices import \S+hostwinds-\d{4}-\d{2}\.csv {3}\(WHMCS-shaped: 12 lines\)/);
    expect(run.stdout).toMatch(/^dates read day-first \(DD\/MM\/YYYY\): line 2 has (28|29|30|31)\/\d\d\/\d{4}$/m);
    expect(run.stdout).toContain("12 valid lines in 1 invoices, 0 bad lines");
    expect(run.stdout).toContain(
      "vps       7  98.78\n  promo     1  -2.50\n  upgrade   1   2.00\n  ip        1   4.99",
    );
    expect(run.stdout).toContain("late-fee  1   5.00");
    expect(run.stdout).toContain(
      "matched: 8 VPS lines (5 by service_id, 0 by ip, 3 by host name), 1 IP lines (1 by ip,",
    );
    expect(section("closed " + last)).toContain("invoices   109.47 USD invoiced, accuracy 0.8642");
  });

  it("prints the forecast backtest on its history, then ends with the savings report", () => {
    expect(section("forecast backtest on the demo's history")).toContain(
      `  ${last}: actual 136.18, forecast 125.18 (p10 -, p90 -), naive 125.18`,
    );
    const savings = run.stdout.indexOf("== savings: what can be cut (report savings) ==");
    expect(savings).toBeGreaterThan(run.stdout.indexOf("forecast backtest on the demo's history"));
    expect(run.stdout.slice(savings).match(/^== /gm)).toHaveLength(1); // no section after it
    for (const kind of ["billing_cycle", "idle_ip", "billed_after_decommission", "untracked"])
      expect(run.stdout.slice(savings)).toMatch(new RegExp(`^\\S+ +${kind} `, "m"));
    expect(run.stdout).toContain("  billed_after_decommission: 9.99/month\n  untracked: 9.99/month");
  });

  it("leaves nothing behind in Redis under its queue prefix", async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
