import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HostwindsClient } from "../src/hostwinds/client.js";
import { HostwindsError } from "../src/hostwinds/errors.js";
import { Catalogue } from "../dev/simulator/catalogue.js";
import { HostwindsSimulator } from "../dev/simulator/server.js";
import { monthlyPrice } from "../src/pricing/monthly-price.js";
import { formatCents } from "../src/money.js";
import { captureLogs } from "./support/log-capture.js";

const KEY = "sim-secret-key-abcdef123456";
const sim = new HostwindsSimulator({ apiKey: KEY, catalogue: new Catalogue() });
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 8 });
const logs = captureLogs("trace");
let client: HostwindsClient;

beforeAll(async () => {
  await sim.start();
  sim.catalogue.setInstance({ serviceid: 100, rid: "10", billingcycle: "quarterly" });
  sim.catalogue.setInstance({
    serviceid: 101,
    rid: "11",
    billingcycle: "hourly",
    hourly: true,
    pendingUpgrade: { total: "4.00", duedate: "2026-12-01" },
  });
  sim.catalogue.setInstance({ serviceid: 102, rid: "12", billingcycle: "annually" });
  client = new HostwindsClient({
    url: sim.url,
    apiKey: KEY,
    dispatcher: agent,
    timeoutMs: 300,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 50 },
    logger: logs.logger,
  });
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});
beforeEach(() => sim.faults.clear());

const caught = async (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as HostwindsError,
  );

describe("HostwindsClient against the simulator", () => {
  it("reads every read-only action and prices instances from them", async () => {
    const [inst, list] = await Promise.all([client.getInstance(100), client.getPriceList(100)]);
    expect(inst.billingcycle).toBe("quarterly");
    const r = monthlyPrice({ options: list, instance: inst });
    expect(r.kind === "priced" && formatCents(r.cents)).toBe("9.99");
    expect((await client.getInstances()).instances.map((i) => i.serviceid)).toEqual([100, 101, 102]);
    expect(await client.getBillingCyclePrices(100)).toMatchObject({ kind: "prices", prices: { quarterly: "29.97" } });
    expect((await client.checkUpgradeOrder(101)).total).toBe("4.00");
    const hourly = monthlyPrice({ options: await client.getPriceList(101), instance: await client.getInstance(101) });
    expect(hourly.kind === "priced" && formatCents(hourly.cents)).toBe("19.99");
    const notOffered = monthlyPrice({
      options: await client.getPriceList(102),
      instance: await client.getInstance(102),
    });
    expect(notOffered).toEqual({ kind: "unpriceable", reason: "cycle annually not offered for plan rid 12" });
  });

  it.each([
    ["429 + Retry-After", { type: "status", status: 429, retryAfterSeconds: 0 }, "rate_limited"],
    ["a burst of 5xx", { type: "status", status: 503 }, "server"],
    ["a hang until the deadline", { type: "hang" }, "timeout"],
    ["a connection reset", { type: "reset" }, "connection"],
  ] as const)("recovers from %s within the retry bound", async (_n, fault, kind) => {
    sim.inject(fault, { action: "get_price_list", times: 2 });
    const seen: string[] = [];
    const c = new HostwindsClient({
      url: sim.url,
      apiKey: KEY,
      dispatcher: agent,
      timeoutMs: 200,
      retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 },
      onAttempt: (_a, o) => seen.push(o),
    });
    expect((await c.getPriceList(100)).length).toBeGreaterThan(0);
    expect(seen).toEqual([kind, kind, "ok"]);
  });

  it("gives up on a transient fault that outlasts the bound", async () => {
    sim.inject({ type: "status", status: 500 }, { action: "get_instance" });
    const before = sim.requestsFor("get_instance").length;
    const e = await caught(client.getInstance(100));
    expect(e.kind).toBe("server");
    expect(sim.requestsFor("get_instance").length - before).toBe(3);
  });

  it.each([
    ["malformed JSON", { type: "malformed" }, "invalid_response"],
    ["an error array in a 200", { type: "error-array", message: "invalid serviceid" }, "input"],
    ["an auth failure", { type: "auth" }, "auth"],
    ["a wrong shape", { type: "wrong-shape" }, "invalid_response"],
  ] as const)("reports %s as permanent after one attempt", async (_n, fault, kind) => {
    sim.inject(fault, { action: "get_price_list" });
    const before = sim.requestsFor("get_price_list").length;
    const e = await caught(client.getPriceList(100));
    expect(e.kind).toBe(kind);
    expect(e.transient).toBe(false);
    expect(sim.requestsFor("get_price_list").length - before).toBe(1);
  });

  it("reports a wrong key as an auth failure", async () => {
    const bad = new HostwindsClient({ url: sim.url, apiKey: "wrong-key-000000", dispatcher: agent });
    expect((await caught(bad.getPriceList())).kind).toBe("auth");
  });

  it("records requests without the key, and the worker's client never sent a mutating action", async () => {
    const mutating = await caught(
      client.request("upgrade_instance" as never, { serviceid: 100, rid: 11 }, {} as never),
    );
    expect(mutating.kind).toBe("forbidden_action");
    expect(sim.requests.length).toBeGreaterThan(10);
    expect(sim.requests.every((r) => (READ_ONLY as readonly string[]).includes(r.action))).toBe(true);
    expect(sim.requests.every((r) => r.keyPresent)).toBe(true);
    expect(JSON.stringify(sim.requests)).not.toContain(KEY);
    expect(logs.lines.join("")).not.toContain(KEY);
  });

  it("records a mutating action sent by someone else, so its absence means something", async () => {
    await fetch(sim.url, {
      method: "POST",
      body: new URLSearchParams({ action: "upgrade_instance", serviceid: "100", rid: "11", API: KEY }),
    });
    expect(sim.requestsFor("upgrade_instance")).toHaveLength(1);
    sim.requests.splice(0);
  });
});

const READ_ONLY = [
  "get_price_list",
  "get_billingcycle_prices",
  "get_instance",
  "get_instances",
  "check_upgrade_order",
] as const;

describe("simulator at scale", () => {
  it("serves a 100,000-instance catalogue (start-up time is measured by the benchmark)", async () => {
    const big = new HostwindsSimulator({ apiKey: KEY });
    big.catalogue.addGenerated(100_000);
    await big.start();
    try {
      const c = new HostwindsClient({ url: big.url, apiKey: KEY, dispatcher: agent, timeoutMs: 10_000 });
      const { instances: all, rejected } = await c.getInstances();
      expect(rejected).toEqual([]);
      expect(all).toHaveLength(100_000);
      // Cut into elements as the chunks arrived: every instance once, whole, with only the fields pricing and the
      // untracked report read.
      expect(new Set(all.map((i) => i.serviceid)).size).toBe(100_000);
      const byId = new Map(all.map((i) => [i.serviceid, i]));
      expect(byId.get(2)).toMatchObject({ serviceid: 2, billingcycle: "quarterly", hourly: false });
      // The cycle, and what decides the plan (product and specs): catalogue pricing groups by them; what tells an
      // untracked instance apart (docs/untracked.md): its status, hostname, main IP and product name.
      expect(Object.keys(byId.get(2)!).sort()).toEqual([
        "bandwidth",
        "billingcycle",
        "cpu",
        "disk",
        "hostname",
        "hourly",
        "main_ip",
        "product_id",
        "product_name",
        "ram",
        "serviceid",
        "status",
      ]);
      expect(byId.get(99_995)).toMatchObject({ serviceid: 99_995, billingcycle: "hourly", hourly: true });
      const last = await c.getPriceList(100_000);
      expect(last.filter((o) => o.current)).toHaveLength(1);
    } finally {
      await big.close();
    }
  });
});
