import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

// A repeat of the adversarial runs against the command line (issue 13): every hostile argument is
// refused with exit 2 and a message on stderr, and the database is byte-for-byte what it was.

let db: TestDatabase;
let env: Record<string, string>;
const ids = { vps: "", ip: "", tenant: "" };

/** Everything a command could write, as one digest. */
const fingerprint = () =>
  withClient(db.url, async (c) => {
    const tables = [
      "vps_instances",
      "smtp_ip_addresses",
      "cost_history",
      "cost_anomalies",
      "system_config",
      "cost_sync_setting_changes",
      "invoice_lines",
      "cost_month_closes",
      "cost_sync_events",
    ];
    const parts: string[] = [];
    for (const t of tables)
      parts.push(
        (
          (await c.query(`SELECT md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`))
            .rows[0] as { h: string }
        ).h,
      );
    return parts.join(",");
  });

beforeAll(async () => {
  db = await createMigratedDatabase("cs_hostile_args");
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: "redis://127.0.0.1:6379",
    QUEUE_PREFIX: `cs-hostile-${String(process.pid)}`,
  };
  await withClient(db.url, async (c) => {
    ids.tenant = (
      await c.query<{ id: string }>(`INSERT INTO tenants (name) VALUES ('t') RETURNING id::text`)
    ).rows[0]!.id;
    ids.vps = (
      await c.query<{ id: string }>(
        `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost) VALUES ('5001', 'active', 9.99) RETURNING id::text`,
      )
    ).rows[0]!.id;
    ids.ip = (
      await c.query<{ id: string }>(
        `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost) VALUES ($1, '198.51.100.7', 'warmed', 4.99) RETURNING id::text`,
        [ids.vps],
      )
    ).rows[0]!.id;
  });
});
afterAll(async () => {
  await db.drop();
});

const AMOUNTS = [
  "-1",
  "abc",
  "1e3",
  "0x10",
  "NaN",
  "Infinity",
  "-0.01",
  "1,000",
  "",
  " ",
  "5.",
  ".5.5",
  "0.001",
  "12.345",
  "1/2",
  "$5",
  "١٢",
];
const REASONS = ["", "   ", "x".repeat(301)];
const MONTHS = ["2026-13", "2026-00", "26-01", "2026-1", "", "abc", "2026-01-01", "2026/01", "9999-99", "-2026-01"];
const COUNTS = ["0", "-1", "abc", "1e3", "121", "1.5", ""];

const cases: [string, (i: typeof ids) => string[]][] = [
  ...AMOUNTS.map((a): [string, (i: typeof ids) => string[]] => [
    `override vps ${JSON.stringify(a)}`,
    (i) => ["override", "vps", i.vps, a],
  ]),
  ...AMOUNTS.map((a): [string, (i: typeof ids) => string[]] => [
    `override ip ${JSON.stringify(a)}`,
    (i) => ["override", "ip", i.ip, a],
  ]),
  ...AMOUNTS.map((a): [string, (i: typeof ids) => string[]] => [
    `config set smtp-ip-cost ${JSON.stringify(a)}`,
    () => ["config", "set", "smtp-ip-cost", a, "--yes"],
  ]),
  ["override ip beyond DECIMAL(6,2)", (i) => ["override", "ip", i.ip, "10000.00"]],
  ["override vps beyond DECIMAL(8,2)", (i) => ["override", "vps", i.vps, "1000000.00"]],
  ["config set smtp-ip-cost beyond its column", () => ["config", "set", "smtp-ip-cost", "10000.00", "--yes"]],
  ...REASONS.map((r): [string, (i: typeof ids) => string[]] => [
    `override reason of ${String(r.length)} chars`,
    (i) => ["override", "vps", i.vps, "5.00", "--reason", r],
  ]),
  ...REASONS.map((r): [string, (i: typeof ids) => string[]] => [
    `override --clear reason of ${String(r.length)} chars`,
    (i) => ["override", "vps", i.vps, "--clear", "--reason", r],
  ]),
  ...["' OR 1=1 --", "0", "-5", "abc", "00000000-0000-0000-0000-00000000000g", "5001; DROP TABLE vps_instances"].map(
    (v): [string, (i: typeof ids) => string[]] => [
      `override vps id ${JSON.stringify(v)}`,
      () => ["override", "vps", v, "5.00"],
    ],
  ),
  ...MONTHS.map((m): [string, (i: typeof ids) => string[]] => [
    `close-month ${JSON.stringify(m)}`,
    () => ["close-month", m],
  ]),
  ["close-month of a future month", () => ["close-month", "2999-01"]],
  ["close-month of the current month", () => ["close-month", new Date().toISOString().slice(0, 7)]],
  ...MONTHS.map((m): [string, (i: typeof ids) => string[]] => [
    `report invoices --month ${JSON.stringify(m)}`,
    () => ["report", "invoices", "--month", m],
  ]),
  ...COUNTS.map((n): [string, (i: typeof ids) => string[]] => [
    `report trend --months ${JSON.stringify(n)}`,
    () => ["report", "trend", "--months", n],
  ]),
  ["report trend --tenant not-a-uuid", () => ["report", "trend", "--tenant", "not-a-uuid"]],
  ["report executive --json --csv", () => ["report", "executive", "--json", "--csv"]],
  ["report executive --html ''", () => ["report", "executive", "--html", ""]],
  ["report allocation --html", () => ["report", "allocation", "--html", "/tmp/x.html"]],
  ["report executive --month", () => ["report", "executive", "--month", "2026-01"]],
  ["invoices import of a missing file", () => ["invoices", "import", "/nonexistent/file.csv"]],
  ["invoices import of a directory", () => ["invoices", "import", "/tmp"]],
  ["invoices with no subcommand", () => ["invoices"]],
  ["explain tenant not-a-uuid", () => ["explain", "tenant", "not-a-uuid"]],
  ["history vps --limit 0", (i) => ["history", "vps", i.vps, "--limit", "0"]],
  ["anomalies --since 2026-02-30", () => ["anomalies", "--since", "2026-02-30"]],
  ["an unknown command", () => ["reconcil"]],
  ["an unknown flag", () => ["status", "--jsn"]],
  ["retry-failed with an argument", () => ["retry-failed", "extra"]],
];

describe("hostile arguments", () => {
  it(`refuses all ${String(cases.length)} with exit 2 and a message, and writes nothing`, async () => {
    // The same commands with good values do what they say (so a refusal below is about the value).
    const control = await runInProcess(["config", "get", "smtp-ip-cost"], { env });
    expect(control.code, control.stderr).toBe(0);
    const before = await fingerprint();
    const held: string[] = [];
    const broke: string[] = [];
    for (const [name, args] of cases) {
      const r = await runInProcess(args(ids), { env });
      // Refused for what it is, not for an incidental flag: only the case about flags may say "unknown flag".
      const incidental = r.stderr.includes("unknown flag") && name !== "an unknown flag";
      if (r.code === 2 && r.stderr.trim().length > 0 && r.stdout === "" && !incidental) held.push(name);
      else broke.push(`${name}: exit ${String(r.code)}, stderr ${JSON.stringify(r.stderr.slice(0, 200))}`);
    }
    expect(broke).toEqual([]);
    expect(held).toHaveLength(cases.length);
    expect(await fingerprint()).toBe(before);
  });
});
