import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capture, runInProcess } from "./support/cli-streams.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

let db: TestDatabase;
let env: Record<string, string>;
let acme: string;

beforeAll(async () => {
  db = await createMigratedDatabase("cs_cli_glance");
  const fx = executiveFixtures(db.url);
  env = { DATABASE_URL: db.url };
  acme = await fx.tenant("Cobalt Logistics International", 29_900, { payments: ["299.00"] });
  const g = await fx.tenant("Globex", 4900);
  await fx.tenant("Twin", 1000);
  await fx.q(`INSERT INTO tenants (name) VALUES ('Twin Inc.')`); // a second tenant displayed as "Twin Inc."
  await fx.vps("120.00", acme, ["4.99"]);
  await fx.vps("45.50", g, ["4.99"]);
  await fx.refresh();
});
afterAll(() => db.drop());

/** A terminal 120 columns wide. */
const tty = () => new Capture({ tty: true, columns: 120 });

describe("tables read at a glance", () => {
  it("report executive fits 120 columns: default columns, upper-case headers, names in full, no uuid", async () => {
    const r = await runInProcess(["report", "executive"], { env, out: tty() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(lines[0]).toMatch(/^NAME +REVENUE +COST +UNTRACKED +MARGIN +MARGIN % +HEALTH$/);
    expect(r.stdout).toContain("Cobalt Logistics International Inc.");
    expect(r.stdout).toContain("(unallocated)");
    expect(r.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const wide = await runInProcess(["report", "executive", "--wide"], { env, out: tty() });
    expect(wide.stdout.split("\n")[0]).toMatch(/^ROW KIND +TENANT ID +COMPANY NAME +PLAN NAME /);
    expect(wide.stdout).toContain(acme);
  });

  it("--json is an object with named arrays (a breaking change from the bare array)", async () => {
    const r = await runInProcess(["report", "executive", "--json"], { env });
    const json = JSON.parse(r.stdout) as { tenants: { rowKind: string }[]; fleet: { rowKind: string }[] };
    expect(json.tenants.map((t) => t.rowKind)).toEqual(["tenant", "tenant", "tenant"]);
    expect(json.fleet.map((t) => t.rowKind)).toEqual(["unsubscribed", "unallocated", "untracked", "fleet"]);
    const u = JSON.parse((await runInProcess(["report", "untracked", "--json"], { env })).stdout) as object;
    expect(Object.keys(u)).toEqual(["untracked", "ghosts"]);
    const t = JSON.parse((await runInProcess(["report", "trend", "--json"], { env })).stdout) as object;
    expect(Object.keys(t)).toEqual(["tenant", "from", "months"]);
  });
});

describe("tenants by uuid or name", () => {
  it("explain tenant takes a name, prints key: value lines and the one display name", async () => {
    const r = await runInProcess(["explain", "tenant", "cobalt logistics international inc."], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tenant: Cobalt Logistics International Inc.\n");
    expect(r.stdout).toContain(`id: ${acme}\n`);
    const byId = await runInProcess(["explain", "tenant", acme], { env });
    expect(byId.stdout).toContain("tenant: Cobalt Logistics International Inc.\n");
  });

  it("an ambiguous name lists its candidates and exits 2; report trend --tenant resolves names too", async () => {
    const r = await runInProcess(["explain", "tenant", "Twin Inc."], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ambiguous: Twin Inc\. \([0-9a-f-]{36}\), Twin Inc\. \([0-9a-f-]{36}\); use the uuid/);
    const trend = await runInProcess(["report", "trend", "--tenant", "Globex Inc.", "--json"], { env });
    expect(trend.code).toBe(0);
    expect((JSON.parse(trend.stdout) as { tenant: { name: string } }).tenant.name).toBe("Globex Inc.");
    expect((await runInProcess(["report", "trend", "--tenant", "Nobody"], { env })).code).toBe(2);
  });
});
