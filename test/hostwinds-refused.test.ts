import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readLastAuthFailure } from "../src/hostwinds/auth-record.js";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps } from "./support/harness.js";
import { spawnSimulator, type SimulatorProcess } from "./support/simulator-process.js";
import { runCli } from "./support/worker-process.js";

// The first recorded case (test/fixtures/hostwinds/auth-bare-object): the live API refusing the key
// with a bare error object. Replayed by `cost-sync simulator --replay`, with a real worker and the
// real CLI: everything fails loudly, naming the key and the IPv4 allow-list, and nothing is written.

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "fixtures/hostwinds/auth-bare-object");
const ALLOW_LIST = "this host's IPv4 address is on the key's allow-list in the Hostwinds client area";

const h = new Harness();
let replay: SimulatorProcess;
let rt: Runtime;
let env: Record<string, string>;
let vpsId: string;

interface CostRow {
  id: string;
  cost: string;
  source: string | null;
  reason: string | null;
}
const costs = () =>
  h.sql<CostRow>(
    `SELECT id::text, approximate_cost::text AS cost, approximate_cost_source AS source,
            approximate_cost_unpriced_reason AS reason FROM vps_instances ORDER BY id`,
  );
/** VPS cost changes (the IP's own sync prices it at the constant: no Hostwinds call, not refused). */
const history = async () =>
  (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cost_history WHERE resource_kind = 'vps'`))[0]!.n;

beforeAll(async () => {
  replay = await spawnSimulator(["--replay", FIXTURE]);
  await h.setup({ HOSTWINDS_API_URL: replay.url, HOSTWINDS_API_KEY: replay.key, OPS_PORT: "0" });
  env = {
    DATABASE_URL: h.db.url,
    HOSTWINDS_API_URL: replay.url,
    HOSTWINDS_API_KEY: replay.key,
    QUEUE_PREFIX: h.prefix,
  };
  // A fleet as a refused key finds it: a priced VPS (the fixture's serviceid), another, one with an older reason.
  ({ vpsId } = await insertVps(h, { serviceid: 5006, ips: 1 }));
  await insertVps(h, { serviceid: 5007 });
  await insertVps(h, { serviceid: 5008 });
  await h.sql(`UPDATE vps_instances SET approximate_cost = 12.34, approximate_cost_source = 'an earlier sync'`);
  await h.sql(
    `UPDATE vps_instances SET approximate_cost_unpriced_reason = 'an older reason' WHERE hostwinds_instance_id = '5008'`,
  );
  rt = await h.start({ ops: true });
}, 120_000);
afterAll(async () => {
  await h.teardown();
  await replay.stop();
});

/** The key refused, as the first test has it refused: a VPS sync and a reconciliation, each through the CLI. */
async function keyRefused(): Promise<void> {
  expect((await runCli(["sync", "vps", vpsId, "--wait"], env)).code).toBe(1);
  expect((await runCli(["reconcile", "--wait"], env)).code).toBe(1);
}

// CLI processes and job round trips (seconds each on a loaded machine): a bound, not a target.
describe("a key Hostwinds refuses (recorded live answer, replayed)", { timeout: 120_000 }, () => {
  it("sync vps --wait and reconcile --wait exit non-zero with the allow-list message; no cost or reason moves", async () => {
    const before = await costs();
    expect(before.map((r) => r.cost)).toEqual(["12.34", "12.34", "12.34"]);

    const sync = await runCli(["sync", "vps", vpsId, "--wait"], env);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain("HOSTWINDS_API_KEY");
    expect(sync.stdout).toContain(ALLOW_LIST);
    expect(sync.stdout).toContain('"Not Authorized!"');

    const rec = await runCli(["reconcile", "--wait"], env);
    expect(rec.code).toBe(1);
    expect(rec.stdout).toMatch(/reconciliation failed: Hostwinds get_instances: not authorized/);
    expect(rec.stdout).toContain(ALLOW_LIST);

    expect(await costs()).toEqual(before);
    expect(await history()).toBe(0);
    const [run] = await h.sql<{ status: string; error: string }>(`SELECT status, error FROM cost_reconciliation_runs`);
    expect(run).toMatchObject({ status: "failed" });
    expect(run!.error).toContain(ALLOW_LIST);
  });

  it("the refusal is counted, recorded in Redis for status, and /healthz says so", async () => {
    await keyRefused();
    const redis = new Redis("redis://127.0.0.1:6379");
    try {
      const last = await readLastAuthFailure(redis, h.prefix);
      expect(last).toMatchObject({ message: expect.stringContaining(ALLOW_LIST) as string });
      expect(Date.now() - last!.at.getTime()).toBeLessThan(10 * 60_000);
    } finally {
      redis.disconnect();
    }
    const health = await fetch(`${rt.opsUrl!}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { checks: Record<string, string> };
    expect(body.checks.hostwindsAuth).toMatch(/^down: Hostwinds refused the key at \d{4}-.*Not Authorized!/);
    expect(body.checks.redis).toBe("ok");
    const metrics = await (await fetch(`${rt.opsUrl!}/metrics`)).text();
    const refusals = /^cost_sync_hostwinds_auth_failures_total (\d+)/m.exec(metrics);
    expect(Number(refusals?.[1])).toBeGreaterThanOrEqual(2);
  });

  it("the record is cleared by the next answer Hostwinds accepts", async () => {
    await keyRefused();
    // The same worker, once the key works again (here: the harness' own simulator accepts it).
    await rt.close();
    const fixed = await h.start({ ops: true }, h.config({ OPS_PORT: "0" }));
    h.sim.catalogue.setInstance({ serviceid: 5006, rid: "10", billingcycle: "monthly" });
    await fixed.producer.enqueueVpsCostSync(vpsId, { reason: "key fixed", dedupe: false });
    await vi.waitFor(async () => expect((await fetch(`${fixed.opsUrl!}/healthz`)).status).toBe(200), {
      timeout: 20_000,
      interval: 100,
    });
  });
});
