import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { API_KEY, costOf, Harness, insertVps } from "./support/harness.js";
import { Capture, runInProcess, stdin } from "./support/cli-streams.js";
import { createEmptyDatabase } from "./support/pg.js";
import { runCli } from "./support/worker-process.js";

/** The parts of `status --json` this file reads. */
interface StatusJson {
  postgres: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  workers: number | null;
  ipConstantUsd: string;
  lastSuccessfulReconciliation: { runId: string };
  unpriced: { total: number; shown: { id: string; keptCost: string; reason: string }[] };
  duplicateServiceIds: { total: number; shown: { serviceid: string; vpsIds: string[]; storedAs: string[] }[] };
}

const OPERATOR = "test-operator";
const h = new Harness();
let env: Record<string, string>;
let vpsId: string;
let ipId: string;
let rt: Runtime | undefined;
const historyCount = async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cost_history`))[0]!.n;
const ipConstant = async () =>
  (
    await h.sql<{ v: string }>(
      `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
    )
  )[0]!.v;
const fill = (args: string[]) => args.map((a) => a.replace("VPSID", vpsId).replace("IPID", ipId));

beforeAll(async () => {
  await h.setup();
  env = {
    DATABASE_URL: h.db.url,
    HOSTWINDS_API_URL: h.sim.url,
    HOSTWINDS_API_KEY: API_KEY,
    QUEUE_PREFIX: h.prefix,
    COST_SYNC_OPERATOR: OPERATOR,
  };
  process.env.COST_SYNC_OPERATOR = OPERATOR; // for the commands run in this process
  h.sim.catalogue.setInstance({ serviceid: 77, rid: "11", billingcycle: "annually" });
  ({
    vpsId,
    ipIds: [ipId],
  } = (await insertVps(h, { serviceid: 77, ips: 1 })) as { vpsId: string; ipIds: [string] });
});
afterAll(async () => {
  await rt?.close();
  await h.teardown();
});

// The spawned steps run the CLI as its own Node process with the TypeScript loader (1–2 s each, twice that
// on a loaded machine): a bound well above that, not a speed target.
describe("cost-sync CLI", { timeout: 90_000 }, () => {
  it.each([
    [["override", "vps", "not-a-uuid", "5"], /must be a uuid or a Hostwinds serviceid/],
    [["override", "vps", "00000000-0000-4000-8000-000000000000", "5"], /no VPS with id/],
    [["override", "vps", "99999", "5"], /no VPS with Hostwinds serviceid 99999/],
    [["override", "ip", "IPID", "-1"], /must not be negative/],
    [["config", "set", "smtp-ip-cost", "-4.99"], /must not be negative/],
    [["override", "vps", "VPSID", "abc"], /USD amount/],
    [["override", "vps", "VPSID", "1.234"], /at most two decimals/],
    [["override", "vps", "VPSID", "5", "--clear"], /not both/],
    [["override", "ip", "IPID", "10000.00"], /below 10000/],
    [["override", "vps", "VPSID", "5", "--reason", " "], /must not be blank/],
    [["override", "vps", "VPSID", "5", "--reason", "x".repeat(301)], /at most 300 characters/],
    [["override", "vsp", "VPSID", "5"], /did you mean vps/],
    [["config", "set", "smtp-ip-cost", "1.001"], /at most two decimals/],
    [
      ["config", "set", "smtp-ip-cost", "10000.00", "--yes"],
      /below 10000.00 \(smtp_ip_addresses.approximate_cost is numeric\(6,2\)\)/,
    ],
    [["config", "set", "smtp-ip-cost"], /missing/],
    [["config", "set", "smtp-ip-cost", "5.25"], /needs --yes when stdin is not a terminal/],
    [["config", "sett", "smtp-ip-cost", "5.25"], /did you mean set/],
    [["sync", "vps", "VPSID", "--upgrade-to", "abc"], /resource id/],
    [["sync", "bogus"], /unknown sync target "bogus"/],
    [["sync", "vps", "VPSID", "--wiat"], /unknown flag --wiat \(did you mean --wait\?\)/],
    [["report", "nope"], /unknown report "nope"/],
    [["status", "--bogus"], /unknown flag --bogus/],
    [["retry-failed", "extra"], /unexpected argument: extra/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ])("rejects %j with exit 2 and writes nothing", async (args, message) => {
    const before = await historyCount();
    const r = await runInProcess(fill(args), { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/enqueued/);
    expect(await historyCount()).toBe(before);
    expect(await ipConstant()).toBe("4.99");
  });

  it("sets and clears an override at once, with history naming the operator", async () => {
    const set = await runCli(["override", "vps", vpsId, "12.50", "--reason", "contract #42"], env);
    expect(set.code).toBe(0);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({
      cost: "12.50",
      override: "12.50",
      source: "override",
    });
    const [row] = await h.sql<{ reason: string; new_value: string; changed_by: string }>(
      `SELECT reason, new_value::text, changed_by FROM cost_history WHERE resource_id = $1 ORDER BY id DESC LIMIT 1`,
      [vpsId],
    );
    expect(row).toEqual({ reason: "contract #42", new_value: "12.50", changed_by: OPERATOR });
    // A bad reason is refused before the clear is written (it used to clear, then fail to enqueue).
    const before = await historyCount();
    const bad = await runInProcess(["override", "vps", vpsId, "--clear", "--reason", "y".repeat(400)], { env });
    expect(bad.code).toBe(2);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ override: "12.50" });
    expect(await historyCount()).toBe(before);
    const ip = await runInProcess(["override", "ip", ipId, "2", "--json"], { env });
    expect(ip.code).toBe(0);
    expect(JSON.parse(ip.stdout)).toMatchObject({ kind: "ip", id: ipId, override: "2.00", costAfter: "2.00" });
    expect((await costOf(h, "smtp_ip_addresses", ipId)).cost).toBe("2.00");
    const clear = await runInProcess(["override", "ip", ipId, "--clear"], { env });
    expect(clear.code).toBe(0);
    expect(await costOf(h, "smtp_ip_addresses", ipId)).toMatchObject({ cost: "4.99", override: null });
    // By serviceid, with leading zeros: 0077 is the VPS whose serviceid is 77.
    const clearVps = await runInProcess(["override", "vps", "0077", "--clear"], { env });
    expect(clearVps.code).toBe(0);
    expect(clearVps.stdout).toContain(`vps ${vpsId}: override cleared; enqueued repricing`);
  });

  it("refuses a serviceid that names several VPS rows, and status lists them", async () => {
    const a = await insertVps(h, { serviceid: "0088", status: "decommissioned" });
    const b = await insertVps(h, { serviceid: "88", status: "decommissioned" });
    const r = await runInProcess(["sync", "vps", "88"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/serviceid 88 names 2 VPS rows .*0088.*: a data problem/);
    const status = JSON.parse((await runInProcess(["status", "--json"], { env })).stdout) as StatusJson;
    expect(status.duplicateServiceIds).toEqual({
      total: 1,
      shown: [{ serviceid: "88", vpsIds: [a.vpsId, b.vpsId].sort(), storedAs: expect.any(Array) as unknown }],
    });
    await h.sql(`DELETE FROM vps_instances WHERE id = ANY($1::uuid[])`, [[a.vpsId, b.vpsId]]);
  });

  it("caps status's unpriced list at 50 and gives the total", async () => {
    await h.sql(
      `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost_unpriced_reason)
       SELECT 'u' || g, 'decommissioned', 'cycle weekly not offered' FROM generate_series(1, 53) g`,
    );
    const [{ n }] = (await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM vps_instances WHERE approximate_cost_unpriced_reason IS NOT NULL`,
    )) as [{ n: number }];
    const json = await runInProcess(["status", "--json"], { env });
    const status = JSON.parse(json.stdout) as StatusJson;
    expect(status.unpriced.total).toBe(n);
    expect(status.unpriced.shown).toHaveLength(50);
    expect(status.unpriced.shown[0]).toMatchObject({ keptCost: "0.00", reason: "cycle weekly not offered" });
    const text = await runInProcess(["status"], { env });
    expect(text.stdout).toContain(`unpriced VPS (50 of ${n}):`);
    await h.sql(`DELETE FROM vps_instances WHERE hostwinds_instance_id LIKE 'u%'`);
  });

  it("shows what a new IP constant changes and asks on a terminal", async () => {
    // The IP priced at the constant, as the override test leaves it: an override set, then cleared.
    expect((await runInProcess(["override", "ip", ipId, "2"], { env })).code).toBe(0);
    expect((await runInProcess(["override", "ip", ipId, "--clear"], { env })).code).toBe(0);
    const declined = await runInProcess(["config", "set", "smtp-ip-cost", "5.25"], {
      env,
      input: stdin({ tty: true, answer: "n" }),
    });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain("1 of 1 IPs follow the constant");
    expect(declined.stdout).toContain("fleet IP total: 4.99 -> 5.25 USD/month");
    expect(declined.stderr).toMatch(/Apply this change\? \[y\/N\] cancelled: nothing was changed/);
    expect(await ipConstant()).toBe("4.99");
    const same = await runInProcess(["config", "set", "smtp-ip-cost", "4.99"], { env });
    expect(same).toMatchObject({ code: 0, stdout: "smtp-ip-cost is already 4.99 USD/month: nothing to change\n" });
  });

  it("writes nothing when Redis, needed for the follow-up, is down", async () => {
    const noRedis = { ...env, REDIS_URL: "redis://127.0.0.1:1" };
    expect((await runInProcess(["override", "vps", vpsId, "9.00"], { env })).code).toBe(0);
    const before = await historyCount();
    const clear = await runInProcess(["override", "vps", vpsId, "--clear"], { env: noRedis });
    expect(clear.code).toBe(1);
    expect(clear.stderr).toMatch(/Redis unreachable/);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ override: "9.00" });
    const set = await runInProcess(["config", "set", "smtp-ip-cost", "5.55", "--yes"], { env: noRedis });
    expect(set.code).toBe(1);
    expect(await ipConstant()).toBe("4.99");
    expect(await historyCount()).toBe(before);
    expect((await runInProcess(["override", "vps", vpsId, "--clear"], { env })).code).toBe(0);
  });

  it("says that a reconciliation stays queued when no worker runs, and exits 1", async () => {
    const r = await runCli(["reconcile", "--wait"], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/enqueued reconciliation job \d+/);
    expect(r.stderr).toMatch(
      /no worker is running .*: reconciliation job \d+ stays queued and runs when a worker starts/,
    );
  });

  it("runs syncs and a reconciliation by hand and waits for them with a worker running", async () => {
    rt = await h.start();
    const sync = await runCli(["sync", "vps", "77", "--wait", "--json"], env);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ total: 1, completed: 1, failed: 0, jobs: [{ outcome: "priced" }] });
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "17.99", override: null }); // 215.88 / 12
    // In this process, with stderr as a terminal: the job's progress reports show as a line there.
    const err = new Capture({ tty: true });
    const rec = await runInProcess(["reconcile", "--wait"], { env, err });
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(/completed/);
    expect(err.text).toMatch(/reconciliation: chunk 1 of 1 · \d+ of \d+ VPS \(100%\)/);
    const allErr = new Capture({ tty: true });
    const all = await runInProcess(["sync", "all", "--wait", "--json"], { env, err: allErr });
    expect(all.code).toBe(0);
    const [{ n: vpsCount }] = (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM vps_instances`)) as [
      { n: number },
    ];
    expect(JSON.parse(all.stdout)).toMatchObject({ total: vpsCount + 1, failed: 0, failures: { total: 0, shown: [] } });
    expect(allErr.text).toContain(`sync all: ${vpsCount} of ${vpsCount} VPS (100%)`);
    const cfg = await runCli(["config", "set", "smtp-ip-cost", "5.10", "--yes"], env);
    expect(cfg.code).toBe(0);
    expect(cfg.stdout).toContain("smtp-ip-cost: 4.99 -> 5.10 USD/month");
    await expect.poll(async () => (await costOf(h, "smtp_ip_addresses", ipId)).cost, { timeout: 10_000 }).toBe("5.10");
    const [change] = await h.sql<{ reason: string; changed_by: string }>(
      `SELECT reason, changed_by FROM cost_history WHERE resource_id = $1 ORDER BY id DESC LIMIT 1`,
      [ipId],
    );
    expect(change).toEqual({ reason: "IP constant 4.99 -> 5.10", changed_by: OPERATOR });
    const status = await runCli(["status", "--json"], env);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as StatusJson;
    expect(parsed).toMatchObject({ postgres: { ok: true }, redis: { ok: true }, ipConstantUsd: "5.10" });
    expect(parsed.workers).toBeGreaterThan(0);
    const [lastRun] = await h.sql<{ id: string }>(
      `SELECT id::text FROM cost_reconciliation_runs WHERE status = 'completed' ORDER BY finished_at DESC LIMIT 1`,
    );
    expect(parsed.lastSuccessfulReconciliation.runId).toBe(lastRun!.id);
    const csv = await runInProcess(["report", "allocation", "--csv"], { env });
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\n")[0]).toBe(
      "row_kind,tenant_id,company_name,plan_name,total_infrastructure_cost,total_email_service_cost,untracked_cost,total_monthly_cost,payments_received,payment_margin,monthly_margin,emails_sent_30d,cost_per_email_delivered,business_efficiency_ratio",
    );
    expect((await runInProcess(["refresh"], { env })).stdout).toMatch(/attribution refreshed/);
    expect(JSON.parse((await runInProcess(["retry-failed", "--json"], { env })).stdout)).toEqual({ retried: 0 });
    expect(JSON.parse((await runInProcess(["config", "get", "smtp-ip-cost", "--json"], { env })).stdout)).toEqual({
      key: "smtp-ip-cost",
      value: "5.10",
      unit: "USD/month",
    });
  });

  it("refuses to start a worker on a database that is not migrated, and verify lists FAILs there", async () => {
    const empty = await createEmptyDatabase("cs_unmigrated");
    try {
      const r = await runCli(["worker"], { ...env, DATABASE_URL: empty.url, OPS_PORT: "0" });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not migrated for cost-sync: run `cost-sync migrate`/);
      const v = await runInProcess(["verify"], { env: { ...env, DATABASE_URL: empty.url } });
      expect(v.code).toBe(1);
      expect(v.stderr).toBe("");
      expect(v.stdout).toMatch(
        /^FAIL {2}system_config cost_sync\.smtp_ip_monthly_cost_usd holds a USD amount — system_config missing$/m,
      );
      expect(v.stdout).toMatch(/verify: 0 PASS, 0 WARN, (\d+) FAIL of \1 checks/);
      const json = await runInProcess(["verify", "--json"], { env: { ...env, DATABASE_URL: empty.url } });
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, pass: 0, fail: expect.any(Number) as unknown });
    } finally {
      await empty.drop();
    }
  });

  it("prints migrate's result as JSON", async () => {
    const r = await runInProcess(["migrate", "--json"], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ applied: [], elapsedMs: expect.any(Number) as unknown });
  });

  it("fails fast with exit 1 when Redis is unreachable for a command that must enqueue", async () => {
    const r = await runCli(["sync", "vps", vpsId], { ...env, REDIS_URL: "redis://127.0.0.1:1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Redis unreachable at redis:\/\/127\.0\.0\.1:1.*: start Redis, or check REDIS_URL/);
  });
});
