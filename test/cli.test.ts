import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { API_KEY, costOf, Harness, insertVps } from "./support/harness.js";
import { runCli } from "./support/worker-process.js";

/** The parts of `status --json` this file reads. */
interface StatusJson {
  workers: number;
  ipConstantUsd: string;
  lastSuccessfulReconciliation: { runId: string };
}

const h = new Harness();
let env: Record<string, string>;
let vpsId: string;
let ipId: string;
let rt: Runtime | undefined;
const historyCount = async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cost_history`))[0]!.n;

beforeAll(async () => {
  await h.setup();
  env = { DATABASE_URL: h.db.url, HOSTWINDS_API_URL: h.sim.url, HOSTWINDS_API_KEY: API_KEY, QUEUE_PREFIX: h.prefix };
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

// Every step runs the CLI as its own Node process with the TypeScript loader (1–2 s each, twice that
// on a loaded machine: 16 s seen for the longest test): a bound well above that, not a speed target.
describe("cost-sync CLI", { timeout: 90_000 }, () => {
  it.each([
    [["override", "vps", "not-a-uuid", "5"], /must be a uuid/],
    [["override", "vps", "00000000-0000-4000-8000-000000000000", "5"], /no VPS with id/],
    [["override", "ip", "IPID", "-1"], /must not be negative/],
    [["config", "set", "smtp-ip-cost", "-4.99"], /must not be negative/],
    [["override", "vps", "VPSID", "abc"], /USD amount/],
    [["override", "vps", "VPSID", "1.234"], /at most two decimals/],
    [["override", "vps", "VPSID", "5", "--clear"], /not both/],
    [["override", "ip", "IPID", "10000.00"], /below 10000/],
    [["config", "set", "smtp-ip-cost", "1.001"], /at most two decimals/],
    [["config", "set", "smtp-ip-cost"], /missing/],
    [["sync", "vps", "VPSID", "--upgrade-to", "abc"], /resource id/],
    [["sync", "bogus"], /usage/],
    [["report", "nope"], /usage/],
    [["status", "--bogus"], /Unknown option/],
    [["frobnicate"], /unknown command/],
  ])("rejects %j with exit 2 and writes nothing", async (args, message) => {
    const before = await historyCount();
    const r = await runCli(
      args.map((a) => a.replace("VPSID", vpsId).replace("IPID", ipId)),
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(message);
    expect(await historyCount()).toBe(before);
    expect(
      (
        await h.sql<{ v: string }>(
          `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
        )
      )[0]!.v,
    ).toBe("4.99");
  });

  it("sets and clears an override at once, with history", async () => {
    const set = await runCli(["override", "vps", vpsId, "12.50", "--reason", "contract #42"], env);
    expect(set.code).toBe(0);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({
      cost: "12.50",
      override: "12.50",
      source: "override",
    });
    const [row] = await h.sql<{ reason: string; new_value: string }>(
      `SELECT reason, new_value::text FROM cost_history WHERE resource_id = $1 ORDER BY id DESC LIMIT 1`,
      [vpsId],
    );
    expect(row).toEqual({ reason: "contract #42", new_value: "12.50" });
    const ip = await runCli(["override", "ip", ipId, "2"], env);
    expect(ip.code).toBe(0);
    expect((await costOf(h, "smtp_ip_addresses", ipId)).cost).toBe("2.00");
    const clear = await runCli(["override", "ip", ipId, "--clear"], env);
    expect(clear.code).toBe(0);
    expect(await costOf(h, "smtp_ip_addresses", ipId)).toMatchObject({ cost: "4.99", override: null });
    const clearVps = await runCli(["override", "vps", vpsId, "--clear"], env);
    expect(clearVps.code).toBe(0);
    expect(clearVps.stdout).toContain("enqueued repricing");
  });

  it("runs syncs and a reconciliation by hand and waits for them with a worker running", async () => {
    rt = await h.start();
    const sync = await runCli(["sync", "vps", vpsId, "--wait"], env);
    expect(sync.code).toBe(0);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "17.99", override: null }); // 215.88 / 12
    const rec = await runCli(["reconcile", "--wait"], env);
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(/completed/);
    const cfg = await runCli(["config", "set", "smtp-ip-cost", "5.10"], env);
    expect(cfg.code).toBe(0);
    expect(cfg.stdout).toContain("4.99 -> 5.10");
    await expect.poll(async () => (await costOf(h, "smtp_ip_addresses", ipId)).cost, { timeout: 10_000 }).toBe("5.10");
    const status = await runCli(["status", "--json"], env);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as StatusJson;
    expect(parsed.workers).toBeGreaterThan(0);
    expect(parsed.ipConstantUsd).toBe("5.10");
    expect(parsed.lastSuccessfulReconciliation.runId).toBeTruthy();
    const csv = await runCli(["report", "allocation", "--csv"], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\n")[0]).toBe(
      "tenant_id,company_name,plan_name,total_infrastructure_cost,total_email_service_cost,total_monthly_cost,payments_received,monthly_profit,emails_sent_30d,cost_per_email_delivered,business_efficiency_ratio",
    );
    expect((await runCli(["refresh"], env)).stdout).toMatch(/attribution refreshed/);
  });

  it("refuses to start a worker on a database that is not migrated", async () => {
    const { createEmptyDatabase } = await import("./support/pg.js");
    const empty = await createEmptyDatabase("cs_unmigrated");
    try {
      const r = await runCli(["worker"], { ...env, DATABASE_URL: empty.url, OPS_PORT: "0" });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not migrated for cost-sync: run `npx cost-sync migrate`/);
    } finally {
      await empty.drop();
    }
  });

  it("fails fast with exit 1 when Redis is unreachable for a command that must enqueue", async () => {
    const r = await runCli(["sync", "vps", vpsId], { ...env, REDIS_URL: "redis://127.0.0.1:1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Redis unreachable/);
  });
});
