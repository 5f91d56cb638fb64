import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostwindsClient } from "../src/hostwinds/client.js";
import { HostwindsError } from "../src/hostwinds/errors.js";
import { instanceListSchema } from "../src/hostwinds/instance-list.js";
import { captureLogs } from "./support/log-capture.js";

const ORIGIN = "https://clients.hostwinds.com";
const URL_ = `${ORIGIN}/cloud/api.php`;
const KEY = "unit-secret-key-0123456789";

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

const client = (logger = captureLogs().logger, retries = 2) =>
  new HostwindsClient({
    url: URL_,
    apiKey: KEY,
    dispatcher: agent,
    retry: { maxRetries: retries, baseDelayMs: 1, maxDelayMs: 5, retryAfterCapMs: 20 },
    logger,
    timeoutMs: 500,
  });
const intercept = () => agent.get(ORIGIN).intercept({ path: "/cloud/api.php", method: "POST" });
const caught = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as HostwindsError;
  }
  throw new Error("expected a rejection");
};

describe("HostwindsClient (MockAgent)", () => {
  it("form-encodes action, key and parameters and parses the keyed price list", async () => {
    let sent = "";
    agent
      .get(ORIGIN)
      .intercept({ path: "/cloud/api.php", method: "POST", body: (b) => ((sent = b), true) })
      .reply(200, { success: { "10": { rid: "10", monthly: "9.99", current: 1 } } });
    const list = await client().getPriceList(42);
    expect(list).toHaveLength(1);
    expect(list[0]!.monthly).toBe("9.99");
    expect(list[0]!.current).toBe(true);
    const form = new URLSearchParams(sent);
    expect(form.get("action")).toBe("get_price_list");
    expect(form.get("serviceid")).toBe("42");
    expect(form.get("API")).toBe(KEY);
  });

  it("accepts get_instances with and without the success wrapper", async () => {
    const inst = { serviceid: 7, billingcycle: "Quarterly", hourly: 0 };
    intercept().reply(200, { success: [inst] });
    intercept().reply(200, [inst]);
    expect((await client().getInstances()).instances[0]!.billingcycle).toBe("quarterly");
    expect((await client().getInstances()).instances[0]!.serviceid).toBe(7);
  });

  it("reads get_instances keyed by id, keeping only what pricing and the untracked report read, as an ordinary parse", async () => {
    const body = {
      success: {
        "12": {
          serviceid: "12",
          billingcycle: "Monthly",
          hourly: "0",
          ram: 4,
          cpu: "2",
          disk: "75",
          product_name: 'A "quoted", {braced} [name]',
          ips: ["198.51.100.7"],
          extra: { deep: [1, { x: "}" }] },
        },
        "3": { serviceid: 3, billingcycle: "hourly", hourly: true },
      },
    };
    intercept().reply(200, JSON.stringify(body, null, 2));
    const got = await client().getInstances();
    expect([...got.instances].sort((a, b) => a.serviceid - b.serviceid)).toEqual(
      instanceListSchema.parse(body.success).instances,
    );
    expect(got.rejected).toEqual([]);
    expect(got.instances.find((i) => i.serviceid === 12)).toEqual({
      serviceid: 12,
      billingcycle: "monthly",
      hourly: false,
      ram: "4",
      cpu: "2",
      disk: "75",
      product_name: 'A "quoted", {braced} [name]',
    });
  });

  it("keeps an instance whose status, hostname or main IP is not text: those are only shown, never a reason to reject it", async () => {
    const odd = { serviceid: 5, billingcycle: "monthly", status: 1, hostname: { a: 1 }, main_ip: ["198.51.100.5"] };
    const plain = { serviceid: 6, billingcycle: "monthly", status: "Suspended", hostname: "mx6.example", main_ip: "" };
    intercept().reply(200, { success: [odd, plain] });
    const got = await client().getInstances();
    expect(got.rejected).toEqual([]);
    expect(got.instances).toEqual([
      { serviceid: 5, billingcycle: "monthly" },
      { serviceid: 6, billingcycle: "monthly", status: "Suspended", hostname: "mx6.example" },
    ]);
  });

  it("reports get_instances answered with an error array as that error, not as a list of bad elements", async () => {
    intercept().reply(200, [{ result: "error", message: "Not Authorized!" }]);
    const e = await caught(client().getInstances());
    expect(e.kind).toBe("auth");
    expect(e.message).toContain("Not Authorized!");
  });

  it.each([
    ["an error array in a 200", 200, [{ result: "error", message: "invalid serviceid" }], "input"],
    ["Not Authorized! in a 200", 200, [{ result: "error", message: "Not Authorized!" }], "auth"],
    ["HTTP 401", 401, {}, "auth"],
    // A JSON number is read only when exact with at most 2 decimals; the only option refused fails the list.
    [
      "a price as an inexact JSON number",
      200,
      { success: { "10": { rid: "10", monthly: 9.999 } } },
      "invalid_response",
    ],
    ["HTTP 400", 400, {}, "input"],
  ] as const)("treats %s as permanent and does not retry", async (_name, status, body, kind) => {
    intercept().reply(status, body as object);
    intercept().reply(200, { success: {} }); // would be consumed by a wrong retry
    const e = await caught(client().getPriceList());
    expect(e).toBeInstanceOf(HostwindsError);
    expect(e.kind).toBe(kind);
    expect(e.transient).toBe(false);
    expect(e.message).toContain("get_price_list");
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });

  it("treats malformed JSON as a permanent invalid response", async () => {
    intercept().reply(200, '{"success": {');
    const e = await caught(client().getInstance(1));
    expect(e.kind).toBe("invalid_response");
  });

  it.each([
    ["HTTP 503", () => intercept().reply(503, "busy"), "server"],
    [
      "HTTP 429 with Retry-After",
      () => intercept().reply(429, "slow down", { headers: { "retry-after": "0" } }),
      "rate_limited",
    ],
    ["a connection error", () => intercept().replyWithError(new Error("ECONNRESET")), "connection"],
  ] as const)("retries %s, then succeeds", async (_name, fail, kind) => {
    fail();
    intercept().reply(200, { success: { id: "1", total: "4.00" } });
    const seen: string[] = [];
    const c = new HostwindsClient({
      url: URL_,
      apiKey: KEY,
      dispatcher: agent,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      onAttempt: (_a, o) => seen.push(o),
    });
    expect((await c.checkUpgradeOrder(5)).total).toBe("4.00");
    expect(seen).toEqual([kind, "ok"]);
  });

  it("stops retrying at the bound and reports the transient error", async () => {
    for (let i = 0; i < 3; i++) intercept().reply(502, "bad gateway");
    intercept().reply(200, { success: {} });
    const e = await caught(client(undefined, 2).getPriceList());
    expect(e.kind).toBe("server");
    expect(e.transient).toBe(true);
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });

  it("times out a request that never answers", async () => {
    intercept().reply(200, { success: {} }).delay(2000);
    const c = new HostwindsClient({
      url: URL_,
      apiKey: KEY,
      dispatcher: agent,
      timeoutMs: 50,
      retry: { maxRetries: 0 },
    });
    const e = await caught(c.getPriceList());
    expect(e.kind).toBe("timeout");
    expect(e.transient).toBe(true);
  });

  it("refuses a mutating action before anything is sent", async () => {
    const c = client();
    const e = await caught(c.request("upgrade_instance" as never, { serviceid: 1, rid: 12 }, {} as never));
    expect(e.kind).toBe("forbidden_action");
    // disableNetConnect + no interceptor: had a byte been sent, undici would have thrown a MockNotMatchedError instead
    expect(agent.pendingInterceptors()).toHaveLength(0);
  });

  it("keeps the key out of logs, error messages and error causes", async () => {
    const { logger, lines } = captureLogs("trace");
    intercept().reply(200, [{ result: "error", message: `bad key ${KEY}` }]);
    intercept().replyWithError(new Error(`socket hang up while sending API=${KEY}`));
    intercept().replyWithError(new Error(`again ${KEY}`));
    intercept().replyWithError(new Error(`and again ${KEY}`));
    const c = client(logger);
    const e1 = await caught(c.getPriceList());
    const e2 = await caught(c.getPriceList());
    logger.error({ err: e1 }, "first");
    logger.error({ err: e2, API: KEY, params: { API: KEY } }, "second");
    const everything = [
      ...lines,
      e1.message,
      e2.message,
      String(e2.cause),
      JSON.stringify(e1),
      JSON.stringify(e2.details),
      JSON.stringify(c),
    ].join("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(everything).not.toContain(KEY);
  });
});
