import { mkdtemp, rm, writeFile, mkdir, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "undici";
import { Replay } from "../dev/simulator/replay.js";
import { HostwindsSimulator } from "../dev/simulator/server.js";
import { Catalogue } from "../dev/simulator/catalogue.js";
import { HostwindsClient } from "../src/hostwinds/client.js";
import { HostwindsError } from "../src/hostwinds/errors.js";
import { runCli } from "./support/worker-process.js";

// The recorded-fixture suite of issue #22: answers in WHMCS's spellings, a partial price list,
// get_billingcycle_prices' `{}` and "Invalid Action.", each replayed from test/fixtures/hostwinds.

const FIXTURES = path.resolve(import.meta.dirname, "fixtures/hostwinds");
const KEY = "replay-key-0123456789";
const agent = new Agent();
let dir: string;

async function replaying(name: string) {
  const sim = new HostwindsSimulator({
    apiKey: KEY,
    catalogue: new Catalogue(),
    replay: await Replay.load(path.join(FIXTURES, name)),
  });
  await sim.start();
  const client = new HostwindsClient({ url: sim.url, apiKey: KEY, dispatcher: agent });
  return { sim, client };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cost-sync-recorded-"));
});
afterAll(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

interface CheckJson {
  rows: { action: string; serviceid: string | null; verdict: string; note: string }[];
  pricing: { monthlyUsd: string | null; source: string | null } | null;
  understood: boolean;
}

describe("recorded: whmcs-answers", { timeout: 120_000 }, () => {
  it("reads every WHMCS cycle spelling of get_instances", async () => {
    const { sim, client } = await replaying("whmcs-answers");
    try {
      const listed = await client.getInstances();
      expect(listed.rejected).toEqual([]);
      expect(listed.instances.map((i) => i.billingcycle)).toEqual([
        "semiannually",
        "monthly",
        "quarterly",
        "annually",
        "biennially",
        "triennially",
        "onetime",
        "freeaccount",
        "semiannually",
        "triennially",
      ]);
      // The partial list: two options left out (a price of 39.999 as a JSON number, no rid), two read.
      const answer = await client.getPriceListAnswer(5006);
      expect(answer.options.map((o) => [o.rid, o.monthly])).toEqual([
        ["10", "9.99"],
        ["11", "19.99"],
      ]);
      expect(answer.rejected.map((r) => r.key)).toEqual(["12", "13"]);
      expect(await client.getBillingCyclePrices(5006)).toEqual({ kind: "none" });
    } finally {
      await sim.close();
    }
  });

  it("hostwinds check: the price list rows partial naming the option, {} and no pending order ok, exit 1", async () => {
    const { sim } = await replaying("whmcs-answers");
    try {
      const r = await runCli(["hostwinds", "check", "--serviceid", "5006", "--json"], {
        HOSTWINDS_API_URL: sim.url,
        HOSTWINDS_API_KEY: KEY,
        HOSTWINDS_MAX_RETRIES: "0",
      });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as CheckJson;
      expect(report.rows.map((row) => [row.action, row.verdict])).toEqual([
        ["get_instances", "ok"],
        ["get_price_list", "partial"],
        ["get_price_list", "partial"],
        ["get_instance", "ok"],
        ["get_billingcycle_prices", "ok"],
        ["check_upgrade_order", "ok (none pending)"],
      ]);
      expect(report.rows[1]?.note).toContain(
        "2 option(s) left out, first: get_price_list option 12: monthly 39.999 is a JSON number",
      );
      expect(report.rows[4]?.note).toBe("{}: no per-instance cycle prices (priced from get_price_list)");
      expect(report.pricing).toMatchObject({
        monthlyUsd: "9.99",
        source: "get_price_list rid 10 semiannually / 6 months",
      });
    } finally {
      await sim.close();
    }
  });
});

describe("recorded: invalid-action", { timeout: 120_000 }, () => {
  it('"Invalid Action." with ERROR 6734 and no action field: an unknown action, never an unpriced VPS', async () => {
    const { sim, client } = await replaying("invalid-action");
    try {
      const err = await client.getPriceList(5006).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostwindsError);
      expect((err as HostwindsError).kind).toBe("unknown_action");
      expect((err as HostwindsError).details.code).toBe("6734");
      const r = await runCli(["hostwinds", "check", "--serviceid", "5006", "--json"], {
        HOSTWINDS_API_URL: sim.url,
        HOSTWINDS_API_KEY: KEY,
        HOSTWINDS_MAX_RETRIES: "0",
      });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as CheckJson;
      expect(new Set(report.rows.map((row) => row.verdict))).toEqual(new Set(["unknown action"]));
    } finally {
      await sim.close();
    }
  });
});

describe("a malformed recording", { timeout: 120_000 }, () => {
  it.each([
    [
      "a header value with CRLF",
      (i: Record<string, unknown>) => ((i.headers as Record<string, string>)["x-a"] = "1\r\nx: 2"),
    ],
    ["a file outside the folder", (i: Record<string, unknown>) => (i.file = "../index.json")],
    ["a status of 1000", (i: Record<string, unknown>) => (i.status = 1000)],
  ])("is refused at load, naming the file, exit 2 (%s)", async (_what, spoil) => {
    const bad = path.join(dir, `bad-${String(Math.random()).slice(2)}`);
    await mkdir(bad);
    await cp(path.join(FIXTURES, "whmcs-answers"), bad, { recursive: true });
    const index = JSON.parse(
      await import("node:fs/promises").then((f) => f.readFile(path.join(bad, "index.json"), "utf8")),
    ) as {
      answers: Record<string, unknown>[];
    };
    spoil(index.answers[3]!);
    await writeFile(path.join(bad, "index.json"), JSON.stringify(index));
    const r = await runCli(["simulator", "--replay", bad], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/index\.json \(the answer of (get_instance-5006\.json|\.\.\/index\.json)\): answers\.3\./);
  });

  it("a file the index names but that is missing is refused with its name, exit 2", async () => {
    const bad = path.join(dir, "missing");
    await cp(path.join(FIXTURES, "whmcs-answers"), bad, { recursive: true });
    await rm(path.join(bad, "get_instance-5006.json"));
    const r = await runCli(["simulator", "--replay", bad], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("get_instance-5006.json: cannot be read (ENOENT)");
  });
});
