import { describe, expect, it } from "vitest";
import { statusReader } from "../src/ops/status-reader.js";
import { Capture, runInProcess } from "./support/cli-streams.js";
import { API_KEY, insertVps } from "./support/harness.js";
import { untrackedWorld } from "./support/untracked-world.js";

// What an operator sees of untracked spend and ghost rows (docs/untracked.md): status, report
// untracked, reconcile --wait and the status gauges' reader, against the real services.

const world = untrackedWorld();
const { h, reconcile } = world;

describe("what the operator sees", () => {
  it("status, report untracked and the gauges show the latest run that checked, fleet-level", async () => {
    const env = {
      DATABASE_URL: h.db.url,
      QUEUE_PREFIX: h.prefix,
      HOSTWINDS_API_URL: h.sim.url,
      HOSTWINDS_API_KEY: API_KEY,
    };
    h.sim.catalogue.setInstance({ serviceid: 5501, rid: "10", billingcycle: "monthly" });
    h.sim.catalogue.setInstance({
      serviceid: 5502,
      rid: "11",
      billingcycle: "monthly",
      hostname: "old-mx.example.net",
    });
    await insertVps(h, { serviceid: 5501, tenantId: "7d1c4d1e-4a5b-4a43-9d55-2f0b7d1b2a10" });
    const ghost = await insertVps(h, { serviceid: 5599 });
    const r = await reconcile();

    const status = JSON.parse((await runInProcess(["status", "--json"], { env })).stdout) as Record<string, unknown>;
    expect(status.untracked).toMatchObject({
      runId: r.runId,
      instances: 1,
      unpriced: 0,
      monthlyUsd: "19.99",
      ghostRows: 1,
      list: { total: 1, shown: [{ serviceid: "5502", hostname: "old-mx.example.net", monthlyCost: "19.99" }] },
      ghosts: { total: 1, shown: [{ vpsId: ghost.vpsId, serviceid: "5599", hostwindsStatus: "not listed" }] },
    });
    const text = (await runInProcess(["status", "--wide"], { env })).stdout;
    expect(text).toContain(`untracked at Hostwinds: 1 instance(s), 19.99 USD/month; fleet-level\n  checked by run ${r.runId} at `); // prettier-ignore
    const glance = await runInProcess(["status"], { env, out: new Capture({ tty: true, columns: 120 }) });
    expect(glance.stdout.split("\n").filter((line) => line.length > 120)).toEqual([]); // every line fits 120 columns
    expect(text).toContain("ghost rows (VPS rows Hostwinds does not list as live): 1 row(s)");
    expect(text).toMatch(/untracked instances \(no VPS row names them[^\n]*\(1\):\n[^\n]*SERVICEID[\s\S]*5502 +old-mx/);

    const csv = (await runInProcess(["report", "untracked", "--csv"], { env })).stdout.trim().split(/\r?\n/);
    expect(csv).toEqual([
      "kind,serviceid,vps_id,hostname,main_ip,plan,hostwinds_status,monthly_cost,unpriced_reason",
      "untracked,5502,,old-mx.example.net,198.51.100.2,Unmanaged Linux 2 CPU / 4 GB,Active,19.99,",
      `ghost,5599,${ghost.vpsId},,,,not listed,,`,
    ]);
    const json = JSON.parse((await runInProcess(["report", "untracked", "--json"], { env })).stdout) as Record<
      "untracked" | "ghosts",
      unknown[]
    >;
    expect([json.untracked.length, json.ghosts.length]).toEqual([1, 1]);
    expect(JSON.stringify(json)).not.toMatch(/tenant/i);
    const table = (await runInProcess(["report", "untracked"], { env })).stdout;
    expect(table).toContain(`run ${r.runId} (`);
    expect(table).toContain("untracked 1 instance(s), 19.99 USD/month; ghost rows: 1 row(s).");

    const snapshot = await statusReader(world.rt.queue, world.rt.db)();
    expect(snapshot).toMatchObject({ untracked: { instances: 1, monthlyUsd: "19.99" }, ghostRows: 1 });

    // `reconcile --wait` ends its summary with the run's own figures.
    const waited = await runInProcess(["reconcile", "--wait"], { env });
    expect(waited.stdout).toContain(
      "untracked at Hostwinds: 1 instance(s), 19.99 USD/month; ghost rows: 1 row(s) (report untracked lists them)",
    );
  });
});
