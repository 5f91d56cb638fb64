import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Catalogue } from "../dev/simulator/catalogue.js";
import { HostwindsSimulator } from "../dev/simulator/server.js";
import { secretForms } from "../src/hostwinds/errors.js";
import { runCli } from "./support/worker-process.js";
import { spawnSimulator } from "./support/simulator-process.js";

// `cost-sync hostwinds check` and `cost-sync simulator`, as real processes. A key with a space and
// `!'()*~+&=%` in it: it must survive form encoding and never come out.

const KEY = "k ey!'()*~+&=%-check-0123";
const sim = new HostwindsSimulator({ apiKey: KEY, catalogue: new Catalogue() });
const env = () => ({ HOSTWINDS_API_URL: sim.url, HOSTWINDS_API_KEY: KEY, HOSTWINDS_MAX_RETRIES: "0" });
let dir: string;

beforeAll(async () => {
  await sim.start();
  sim.catalogue.setInstance({ serviceid: 5001, rid: "10", billingcycle: "quarterly" });
  sim.catalogue.setInstance({ serviceid: 5002, rid: "12", billingcycle: "annually" });
  dir = await mkdtemp(path.join(tmpdir(), "cost-sync-check-"));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sim.faults.clear());

/** The parts of `hostwinds check --json` this file reads. */
interface CheckJson {
  serviceid: { value: number; from: string } | null;
  rows: { action: string; serviceid: string | null; httpStatus: number; envelope: string; verdict: string }[];
  pricing: { outcome: string; monthlyUsd: string | null; source: string | null; reason: string | null } | null;
  authFailure: string | null;
  understood: boolean;
  saved: { files: string[] } | null;
}

// Each step is a Node process with the TypeScript loader (seconds each on a loaded machine): a bound, not a target.
describe("hostwinds check", { timeout: 120_000 }, () => {
  it("against the simulator: every action once, every answer understood, exit 0, and how the instance is priced", async () => {
    const before = sim.requests.length;
    const r = await runCli(["hostwinds", "check"], env());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("serviceid 5001 (first instance of get_instances)");
    expect(r.stdout).toContain(
      "pricing: serviceid 5001 would cost 9.99 USD/month (get_price_list rid 10 quarterly / 3 months)",
    );
    expect(r.stdout).toContain("every answer understood");
    const sent = sim.requests.slice(before);
    expect(sent.map((q) => [q.action, q.params.serviceid])).toEqual([
      ["get_instances", undefined],
      ["get_price_list", undefined],
      ["get_price_list", "5001"],
      ["get_instance", "5001"],
      ["get_billingcycle_prices", "5001"],
      ["check_upgrade_order", "5001"],
    ]);
    expect(sent.every((q) => q.keyValid && q.contentType === "application/x-www-form-urlencoded")).toBe(true);
    for (const form of secretForms(KEY)) expect(r.stdout).not.toContain(form);
  });

  it("--serviceid --json: rows with status and envelope, the pricing of that instance, camelCase keys", async () => {
    const r = await runCli(["hostwinds", "check", "--serviceid", "5002", "--json"], env());
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as CheckJson;
    expect(report.serviceid).toEqual({ value: 5002, from: "--serviceid" });
    expect(report.rows.map((row) => [row.action, row.serviceid, row.httpStatus, row.envelope, row.verdict])).toEqual([
      ["get_instances", null, 200, "success", "ok"],
      ["get_price_list", null, 200, "success", "ok"],
      ["get_price_list", "5002", 200, "success", "ok"],
      ["get_instance", "5002", 200, "success", "ok"],
      ["get_billingcycle_prices", "5002", 200, "success", "ok"],
      ["check_upgrade_order", "5002", 200, "error array", "ok (none pending)"],
    ]);
    expect(report.pricing).toEqual({
      serviceid: 5002,
      outcome: "unpriced",
      monthlyUsd: null,
      source: null,
      reason: "cycle annually not offered for plan rid 12",
    });
  });

  it("a refused key: exit 1, the allow-list named, the key never printed", async () => {
    sim.inject({ type: "auth" });
    const r = await runCli(["hostwinds", "check"], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/get_instances +200 +error object +yes +refused +Hostwinds: Not Authorized!/);
    expect(r.stdout).toContain(
      "Hostwinds refused HOSTWINDS_API_KEY: check the key, and that this host's IPv4 address is on the key's allow-list in the Hostwinds client area",
    );
    for (const form of secretForms(KEY)) expect(r.stdout + r.stderr).not.toContain(form);
  });

  it("an answer it does not understand: exit 1, saying which", async () => {
    sim.inject({ type: "wrong-shape" }, { action: "get_price_list" });
    const r = await runCli(["hostwinds", "check", "--json"], env());
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as CheckJson;
    expect(report.understood).toBe(false);
    expect(report.rows.filter((row) => row.verdict === "not understood").map((row) => row.action)).toEqual([
      "get_price_list",
      "get_price_list",
    ]);
  });

  it.each([
    [["hostwinds"], /unknown subcommand "": hostwinds check \[--serviceid N\]/],
    [["hostwinds", "check", "--serviceid", "abc"], /--serviceid must be a Hostwinds serviceid/],
    [["hostwinds", "check", "--bogus"], /unknown flag --bogus/],
  ])("rejects %j with exit 2 before sending anything", async (args, message) => {
    const before = sim.requests.length;
    const r = await runCli(args, env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(sim.requests.length).toBe(before);
  });
});

describe("hostwinds check --save, replayed by cost-sync simulator --replay", { timeout: 120_000 }, () => {
  it("saves each answer without the key and with every IP address masked; the replay answers the same", async () => {
    // An instance whose answer carries addresses in several places, and an error that repeats the key back.
    const instance = {
      serviceid: 5001,
      billingcycle: "quarterly",
      main_ip: "8.8.4.4",
      ips: ["8.8.4.4", "2606:4700:4700::1111", { main_ip: "2a01:4f8:c17:b8f::2", hostname: "from 93.184.216.34" }],
    };
    sim.inject({ type: "body", json: JSON.stringify({ success: instance }) }, { action: "get_instance" });
    sim.inject({ type: "echo" }, { action: "check_upgrade_order" });
    const saveDir = path.join(dir, "recording");
    const r = await runCli(["hostwinds", "check", "--serviceid", "5001", "--save", saveDir], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`saved 7 file(s) to ${saveDir}`);
    const files = (await readdir(saveDir)).sort();
    expect(files).toEqual([
      "check_upgrade_order-5001.json",
      "get_billingcycle_prices-5001.json",
      "get_instance-5001.json",
      "get_instances.json",
      "get_price_list-5001.json",
      "get_price_list.json",
      "index.json",
    ]);
    const saved = await Promise.all(files.map((f) => readFile(path.join(saveDir, f), "utf8")));
    const all = saved.join("\n");
    for (const form of secretForms(KEY)) expect(all).not.toContain(form);
    for (const ip of ["8.8.4.4", "2606:4700:4700::1111", "2a01:4f8:c17:b8f::2", "93.184.216.34", "198.51.100."])
      expect(all).not.toContain(ip);
    expect(JSON.parse(await readFile(path.join(saveDir, "get_instance-5001.json"), "utf8"))).toEqual({
      success: {
        ...instance,
        // One stand-in per address across the recording: get_instances' two addresses came first.
        main_ip: "192.0.2.3",
        ips: ["192.0.2.3", "2001:db8::1", { main_ip: "2001:db8::2", hostname: "from 192.0.2.4" }],
      },
    });
    expect(await readFile(path.join(saveDir, "check_upgrade_order-5001.json"), "utf8")).toContain("[redacted]");

    const replay = await spawnSimulator(["--replay", saveDir]);
    try {
      const again = await runCli(["hostwinds", "check", "--serviceid", "5001", "--json"], {
        HOSTWINDS_API_URL: replay.url,
        HOSTWINDS_API_KEY: replay.key,
      });
      expect(again.code).toBe(0);
      const report = JSON.parse(again.stdout) as CheckJson;
      expect(report.rows.map((row) => [row.action, row.verdict])).toEqual([
        ["get_instances", "ok"],
        ["get_price_list", "ok"],
        ["get_price_list", "ok"],
        ["get_instance", "ok"],
        ["get_billingcycle_prices", "ok"],
        ["check_upgrade_order", "error"],
      ]);
      expect(report.pricing).toMatchObject({ outcome: "priced", monthlyUsd: "9.99" });
    } finally {
      expect(await replay.stop()).toBe(0);
    }
  });

  it("simulator refuses a directory that holds no recording (exit 2)", async () => {
    const r = await runCli(["simulator", "--replay", path.join(dir, "nothing-here")], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--replay .*nothing-here: not a recording of hostwinds check --save/);
  });
});
