import { createHash } from "node:crypto";
import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostwindsClient } from "../src/hostwinds/client.js";
import { HostwindsError, scrub, secretForms } from "../src/hostwinds/errors.js";

// How the client reads what Hostwinds really sends (docs/hostwinds-contract.md, "Seen from the live
// API"): error objects wherever they appear, every shape of an authorization failure, one bad
// element of get_instances, the size of an answer.

const ORIGIN = "https://clients.hostwinds.com";
const KEY = "unit-secret-key-0123456789";
const LIVE_AUTH = { result: "error", action: "Authorization", message: "Not Authorized!" };

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

const client = (o: { onAttempt?: (a: string, outcome: string, e?: HostwindsError) => void } = {}) =>
  new HostwindsClient({ url: `${ORIGIN}/cloud/api.php`, apiKey: KEY, dispatcher: agent, ...o });
const intercept = () => agent.get(ORIGIN).intercept({ path: "/cloud/api.php", method: "POST" });
const caught = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as HostwindsError,
  );

/** What every authorization failure must say, whatever its shape. */
function expectAuthAdvice(e: HostwindsError, hostwindsSaid?: string) {
  expect(e).toBeInstanceOf(HostwindsError);
  expect(e.kind).toBe("auth");
  expect(e.transient).toBe(false);
  expect(e.message).toContain("HOSTWINDS_API_KEY");
  expect(e.message).toMatch(/this host's IPv4 address is on the key's allow-list in the Hostwinds client area/);
  if (hostwindsSaid) expect(e.message).toContain(hostwindsSaid);
  expect(e.message).not.toMatch(/failed validation/);
}

describe("error objects, wherever the answer carries them", () => {
  const placements: [string, unknown][] = [
    ["the whole answer (the live auth failure)", LIVE_AUTH],
    ["an element of the documented array", [{ result: "error", message: "invalid serviceid" }]],
    ["the value of success", { success: { result: "Error", message: "invalid serviceid", ERROR: "NOT_FOUND" } }],
    ["an element of success", { success: [{ result: "error", message: "invalid serviceid" }] }],
    ["a member value of success", { success: { "5006": { result: "error", message: "invalid serviceid" } } }],
  ];

  it.each(placements)("get_price_list: an error object as %s is an error, before any schema", async (_n, body) => {
    intercept().reply(200, body as object);
    const e = await caught(client().getPriceList(5006));
    expect(e.kind).toBe(JSON.stringify(body).includes("Authorization") ? "auth" : "input");
    expect(e.message).not.toMatch(/failed validation/);
    expect(e.message).toMatch(/Not Authorized!|invalid serviceid/);
  });

  it.each(placements)("get_instances (read as it streams): an error object as %s is an error", async (_n, body) => {
    intercept().reply(200, JSON.stringify(body, null, 1));
    const e = await caught(client().getInstances());
    expect(e.kind).toBe(JSON.stringify(body).includes("Authorization") ? "auth" : "input");
    expect(e.message).not.toMatch(/failed validation|rejected/);
  });

  it("an error object among valid instances makes the whole list that error", async () => {
    intercept().reply(200, { success: [{ serviceid: 1, billingcycle: "monthly" }, LIVE_AUTH] });
    expectAuthAdvice(await caught(client().getInstances()), "Not Authorized!");
  });

  it("{success: …} with data is data", async () => {
    intercept().reply(200, { success: { serviceid: 7, billingcycle: "Monthly", result: "ok" } });
    expect((await client().getInstance(7)).billingcycle).toBe("monthly");
  });
});

describe("an authorization failure is about the account", () => {
  it.each<[string, number, unknown, string | undefined]>([
    ["the live bare object", 200, LIVE_AUTH, "Not Authorized!"],
    ["the documented array", 200, [{ result: "error", message: "Not Authorized!" }], "Not Authorized!"],
    ["an invalid API key message", 200, [{ result: "error", message: "Invalid API Key" }], "Invalid API Key"],
    ["action Authorization with any message", 200, { result: "error", action: "Authorization", message: "x" }, "x"],
    ["HTTP 401 with the live body", 401, LIVE_AUTH, "Not Authorized!"],
    ["HTTP 403 without a body", 403, "", undefined],
  ])("%s: kind auth, names the key and the IPv4 allow-list, keeps Hostwinds' words", async (_n, status, body, said) => {
    intercept().reply(status, typeof body === "string" ? body : JSON.stringify(body));
    intercept().reply(200, { success: {} }); // would be consumed by a wrong retry
    const outcomes: string[] = [];
    const errors: (HostwindsError | undefined)[] = [];
    const c = client({ onAttempt: (_a, o, e) => (outcomes.push(o), errors.push(e)) });
    const e = await caught(c.getPriceList());
    expectAuthAdvice(e, said);
    expect(outcomes).toEqual(["auth"]);
    expect(errors[0]).toBe(e);
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });
});

describe("get_instances, element by element", () => {
  const fleet = [
    { serviceid: 5001, billingcycle: "Monthly", hourly: 0, ips: ["198.51.100.1"] },
    { serviceid: 5006, billingcycle: "Weekly" },
    { serviceid: "5007" },
    { serviceid: "abc", billingcycle: "monthly" },
    "not an instance",
    { serviceid: 5002, billingcycle: "hourly", hourly: 1 },
    { serviceid: "0", billingcycle: "monthly" },
  ];
  const expected = {
    instances: [
      { serviceid: 5001, billingcycle: "monthly", hourly: false },
      { serviceid: 5002, billingcycle: "hourly", hourly: true },
    ],
    rejected: [
      { index: 1, serviceid: "5006", reason: 'billingcycle "Weekly" is not a Hostwinds cycle' },
      { index: 2, serviceid: "5007", reason: "billingcycle is missing" },
      { index: 3, serviceid: "abc", reason: 'serviceid "abc" is not a positive whole number' },
      { index: 4, reason: '"not an instance" is not an instance object' },
      { index: 6, serviceid: "0", reason: 'serviceid "0" is not a positive whole number' },
    ],
  };

  it.each([
    ["streamed, wrapped", { success: fleet }],
    ["streamed, bare", fleet],
    ["streamed, keyed by id", { success: Object.fromEntries(fleet.map((f, i) => [`k${i}`, f])) }],
  ])("keeps the valid instances and rejects the others with their reasons (%s)", async (_n, body) => {
    intercept().reply(200, JSON.stringify(body));
    expect(await client().getInstances()).toEqual(expected);
  });

  it("reads the same when the body is not a list the stream reader knows (read whole)", async () => {
    // `success` beside another member: the stream reader gives up and the body is parsed whole.
    intercept().reply(200, { success: fleet, total: 6 });
    expect(await client().getInstances()).toEqual(expected);
  });

  it("an answer whose every element is rejected is an invalid answer, not a fleet of unpriced VPS", async () => {
    intercept().reply(200, { success: [{ serviceid: 1, billingcycle: "Weekly" }, { serviceid: 2 }] });
    const e = await caught(client().getInstances());
    expect(e.kind).toBe("invalid_response");
    expect(e.message).toBe(
      'Hostwinds get_instances: every one of the 2 elements was rejected; first: get_instances element 0 (serviceid 1): billingcycle "Weekly" is not a Hostwinds cycle',
    );
  });

  it("an element too long to be cut out as it streams is still read (the body is parsed whole)", async () => {
    const huge = { serviceid: 5003, billingcycle: "monthly", notes: "x".repeat(2 * 1024 * 1024) };
    intercept().reply(200, JSON.stringify({ success: [fleet[0], huge, fleet[1]] }));
    expect(await client().getInstances()).toEqual({
      instances: [expected.instances[0], { serviceid: 5003, billingcycle: "monthly" }],
      rejected: [{ ...expected.rejected[0], index: 2 }],
    });
  });

  it("an empty list is an empty fleet", async () => {
    intercept().reply(200, { success: [] });
    expect(await client().getInstances()).toEqual({ instances: [], rejected: [] });
  });
});

describe("the size of an answer", () => {
  it("refuses an answer whose content-length is beyond the action's limit, before reading it", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    intercept().reply(200, big, { headers: { "content-length": String(big.length) } });
    intercept().reply(200, { success: {} });
    const e = await caught(client().getInstance(1));
    expect(e.kind).toBe("invalid_response");
    expect(e.transient).toBe(false);
    expect(e.message).toBe(
      "Hostwinds get_instance: get_instance answer exceeds 1 MiB (content-length 1048577); the request was aborted",
    );
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });
});

describe("scrubbing the key", () => {
  const key = "k ey!'()*~+&=%-0123";

  it("covers the raw key, its form and URI encodings, its JSON escape and its SHA-256", () => {
    const forms = secretForms(key);
    expect(forms).toContain(key);
    expect(forms).toContain("k+ey%21%27%28%29*%7E%2B%26%3D%25-0123"); // URLSearchParams, as the client sends it
    expect(forms).toContain("k%20ey!'()*~%2B%26%3D%25-0123"); // encodeURIComponent
    expect(forms).toContain(createHash("sha256").update(key).digest("hex")); // how the simulator compares keys
    const text = forms.map((f) => `<${f}>`).join(" ");
    const out = scrub(text, key);
    for (const f of forms) expect(out).not.toContain(f);
    expect(out).toBe(forms.map(() => "<[redacted]>").join(" "));
  });

  it("a key made only of safe characters has no percent, entity or escape forms of its own, only byte encodings", () => {
    // Itself; every byte percent-encoded; hex; base64 (= base64url, no padding); HTML decimal and hex
    // references; \uXXXX; its SHA-256 in lower and upper case. No form with "+" or "%20": it has no space.
    expect(secretForms("abcdefgh0123")).toHaveLength(9);
    expect(secretForms("abcdefgh0123")).toContain("YWJjZGVmZ2gwMTIz");
  });
});
