import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalogue } from "../dev/simulator/catalogue.js";
import { HostwindsSimulator } from "../dev/simulator/server.js";
import { secretForms } from "../src/hostwinds/errors.js";
import type { Runtime } from "../src/runtime.js";
import { runInProcess } from "./support/cli-streams.js";
import { costOf, Harness, insertVps, settle } from "./support/harness.js";
import { captureLogs } from "./support/log-capture.js";

// A worker against a simulator whose key has a space and `!'()*~+&=%` in it: the key must survive the
// form encoding, and never reach a log line (trace level), an error, Redis or the database. Then a
// get_instances with elements the client cannot read, in a real reconciliation.

const KEY = "k ey!'()*~+&=%-worker-0123";
const sim = new HostwindsSimulator({ apiKey: KEY, catalogue: new Catalogue() });
const h = new Harness();
const logs = captureLogs("trace");
let rt: Runtime;

beforeAll(async () => {
  await sim.start();
  await h.setup({ HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: KEY, LOG_LEVEL: "trace" });
  for (const [serviceid, rid] of [
    [6001, "10"],
    [6002, "11"],
    [6003, "10"],
  ] as const)
    sim.catalogue.setInstance({ serviceid, rid, billingcycle: "monthly" });
  rt = await h.start({ logger: logs.logger });
}, 120_000);
afterAll(async () => {
  await h.teardown();
  await sim.close();
});

/** The VPS of a serviceid: the one an earlier test inserted, or a new one, so that each test runs alone. */
async function vpsOf(serviceid: number): Promise<string> {
  const [row] = await h.sql<{ id: string }>(`SELECT id::text FROM vps_instances WHERE hostwinds_instance_id = $1`, [
    String(serviceid),
  ]);
  return row?.id ?? (await insertVps(h, { serviceid })).vpsId;
}

/** Every value under this file's queue prefix in Redis, whatever its type. */
async function redisDump(prefix: string): Promise<string> {
  const r = new Redis("redis://127.0.0.1:6379");
  const out: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      for (const key of keys) out.push(key, JSON.stringify(await readKey(r, key)));
      cursor = next;
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  return out.join("\n");
}

async function readKey(r: Redis, key: string): Promise<unknown> {
  switch (await r.type(key)) {
    case "string":
      return r.get(key);
    case "hash":
      return r.hgetall(key);
    case "list":
      return r.lrange(key, 0, -1);
    case "set":
      return r.smembers(key);
    case "zset":
      return r.zrange(key, 0, -1);
    case "stream":
      return r.xrange(key, "-", "+");
    default:
      return null;
  }
}

// Job round trips through Redis and Postgres (seconds on a loaded machine): a bound, not a target.
describe("the key never survives", { timeout: 120_000 }, () => {
  it("answers that repeat it back leave it in no log line, error, job, Redis key or database row", async () => {
    const echoed = await vpsOf(6001);
    const refused = await vpsOf(6002);
    await settle(h, rt);
    // An input error repeating the request (form-encoded key, raw key, its hash) on the one call an
    // event sync sends once the plan is learned …
    sim.inject({ type: "echo" }, { action: "get_instance", serviceid: 6001 });
    const unpriced = await h.finished(await rt.producer.enqueueVpsCostSync(echoed, { reason: "echo", dedupe: false }));
    expect(unpriced).toMatchObject({ outcome: "unpriced" });
    // … and a refusal quoting the key in every form: the job fails, the refusal is recorded in Redis.
    const quoted = secretForms(KEY).join(" | ");
    sim.inject(
      {
        type: "body",
        json: JSON.stringify({ result: "error", action: "Authorization", message: `bad key ${quoted}` }),
      },
      { serviceid: 6002 },
    );
    await expect(
      h.finished(await rt.producer.enqueueVpsCostSync(refused, { reason: "refused", dedupe: false })),
    ).rejects.toThrow(/HOSTWINDS_API_KEY/);
    sim.faults.clear();
    // `status` names the refusal (it reads the record every worker shares), without the key.
    const cli = { DATABASE_URL: h.db.url, QUEUE_PREFIX: h.prefix, HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: KEY };
    const statusJson = await runInProcess(["status", "--json"], { env: cli });
    expect(JSON.parse(statusJson.stdout)).toMatchObject({
      hostwindsKeyRefused: {
        action: expect.any(String) as unknown,
        message: expect.stringContaining("[redacted]") as unknown,
      },
    });
    const statusText = await runInProcess(["status"], { env: cli });
    expect(statusText.stdout).toMatch(/^Hostwinds key: REFUSED — Hostwinds refused the key at /m);

    const reasons = await h.sql<{ r: string | null }>(
      `SELECT approximate_cost_unpriced_reason AS r FROM vps_instances`,
    );
    expect(reasons.map((x) => x.r ?? "").join("\n")).toContain("cannot process action=get_instance");
    const everything = [
      statusJson.stdout,
      statusText.stdout,
      logs.lines.join("\n"),
      await redisDump(h.prefix),
      JSON.stringify(reasons),
      JSON.stringify(await h.sql(`SELECT * FROM cost_reconciliation_runs`)),
    ].join("\n");
    expect(logs.lines.length).toBeGreaterThan(10); // trace-level lines were written and searched
    expect(everything).toContain("last-auth-failure");
    expect(everything).toContain("[redacted]");
    for (const form of secretForms(KEY)) expect(everything).not.toContain(form);
  });
});

describe("get_instances with elements the client cannot read", { timeout: 120_000 }, () => {
  it("a reconciliation prices the rest, keeps their cost with the reason, and counts them", async () => {
    await vpsOf(6001);
    await vpsOf(6002);
    const { vpsId: good } = await insertVps(h, { serviceid: 6003 });
    await settle(h, rt);
    const [weekly, noCycle] = await h.sql<{ id: string }>(
      `SELECT id::text FROM vps_instances WHERE hostwinds_instance_id IN ('6001', '6002') ORDER BY hostwinds_instance_id`,
    );
    await h.sql(`UPDATE vps_instances SET approximate_cost = 7.77 WHERE id = ANY($1::uuid[])`, [
      [weekly!.id, noCycle!.id],
    ]);
    const answer = {
      success: [
        { serviceid: 6003, billingcycle: "Monthly" },
        { serviceid: 6001, billingcycle: "Weekly" },
        { serviceid: "6002" },
        { serviceid: "abc", billingcycle: "monthly" },
      ],
    };
    sim.inject({ type: "body", json: JSON.stringify(answer) }, { action: "get_instances", times: 1 });
    const r = await h.finished<{ rejectedInstances: number; summary: Record<string, unknown> }>(
      await rt.producer.enqueueReconciliation({ trigger: "manual" }),
      60_000,
    );
    expect(r.rejectedInstances).toBe(3);
    expect(r.summary).toMatchObject({ status: "completed", vpsUnpriced: 2 });
    expect(await costOf(h, "vps_instances", good)).toMatchObject({ cost: "9.99", unpriced: null });
    expect(await costOf(h, "vps_instances", weekly!.id)).toMatchObject({
      cost: "7.77",
      unpriced: 'get_instances element 1 (serviceid 6001): billingcycle "Weekly" is not a Hostwinds cycle',
    });
    expect(await costOf(h, "vps_instances", noCycle!.id)).toMatchObject({
      cost: "7.77",
      unpriced: "get_instances element 2 (serviceid 6002): billingcycle is missing",
    });
    const warned = logs.lines.find((l) => l.includes("get_instances: elements rejected"));
    expect(warned).toMatch(/"rejectedInstances":3/);
  });
});
