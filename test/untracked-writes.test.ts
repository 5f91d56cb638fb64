import { describe, expect, it } from "vitest";
import { databaseClock, recordGhosts, recordUntracked, summariseUntracked } from "../src/db/writes/untracked.js";
import { insertVps } from "./support/harness.js";
import { untrackedWorld } from "./support/untracked-world.js";

// Untracked instances and ghost rows are written by statements that re-check the rows they were
// decided against (docs/untracked.md, "Runs, resumes and races"), against the real database.

const world = untrackedWorld();
const { h, ghostsOf } = world;

describe("a write re-checks in its own statement the facts its decision rested on", () => {
  const openRun = async (jobId: string) =>
    (
      await h.sql<{ id: string }>(
        `INSERT INTO cost_reconciliation_runs (job_id, trigger) VALUES ($1, 'manual') RETURNING id::text`,
        [jobId],
      )
    )[0]!.id;
  const item = (serviceid: string) => ({
    serviceid,
    hostname: null,
    mainIp: null,
    plan: null,
    status: "Active",
    monthlyCost: "9.99",
    unpricedReason: null,
  });

  it("an instance a row names by the time it is recorded, or counted, is not reported untracked", async () => {
    const runId = await openRun("race-untracked");
    const listed = ["5301", "5302", "5303"];
    await insertVps(h, { serviceid: "0005301" }); // created after the listing, before the recording
    expect(await recordUntracked(world.rt.db, runId, listed.map(item))).toBe(2);
    await insertVps(h, { serviceid: 5302 }); // created after the recording, before the count
    const figures = { instances: 1, unpriced: 0, monthlyUsd: "9.99" };
    expect(await summariseUntracked(world.rt.db, runId, listed)).toEqual(figures);
    // A resumed run records and counts again: nothing doubles.
    await recordUntracked(world.rt.db, runId, [item("5303")]);
    expect(await summariseUntracked(world.rt.db, runId, listed)).toEqual(figures);
    const rows = await h.sql(`SELECT serviceid FROM cost_untracked_instances WHERE run_id = $1`, [runId]);
    expect(rows).toEqual([{ serviceid: "5303" }]);
  });

  it("counts a run's untracked instances against 100k VPS rows and a 102k listing", async () => {
    const runId = await openRun("untracked-at-scale");
    // Inserted with triggers off: 100k creation events would have the running worker sync each one.
    await h.sql(`BEGIN; SET LOCAL session_replication_role = replica;
                 INSERT INTO vps_instances (hostwinds_instance_id, status)
                 SELECT (1000000 + g)::text, 'active' FROM generate_series(1, 100000) g; COMMIT`);
    const untracked = Array.from({ length: 2000 }, (_, k) => String(3000000 + k));
    expect(await recordUntracked(world.rt.db, runId, untracked.map(item))).toBe(2000);
    const listed = [...untracked, ...Array.from({ length: 100000 }, (_, k) => String(1000001 + k))];
    expect(await summariseUntracked(world.rt.db, runId, listed)).toEqual({
      instances: 2000,
      unpriced: 0,
      monthlyUsd: "19980.00",
    });
  });

  it("judges as a ghost only a row that has not changed since the listing", async () => {
    const runId = await openRun("race-ghosts");
    const before = await insertVps(h, { serviceid: 5401 });
    const moved = await insertVps(h, { serviceid: 5402 });
    const listedAt = await databaseClock(world.rt.db);
    await insertVps(h, { serviceid: 5403 }); // its instance was created after the listing
    await h.sql(`UPDATE vps_instances SET hostwinds_instance_id = '5404' WHERE id = $1`, [moved.vpsId]);
    const check = { runId, listedAt, live: [], ended: [] };
    expect(await recordGhosts(world.rt.db, { ...check, checked: true })).toBe(1);
    expect(await ghostsOf(runId)).toEqual([{ vps_id: before.vpsId, serviceid: "5401", hostwinds_status: null }]);
    // A resumed run whose listing turned out incomplete replaces them with "not checked".
    expect(await recordGhosts(world.rt.db, { ...check, checked: false })).toBeNull();
    expect(await ghostsOf(runId)).toEqual([]);
  });
});
