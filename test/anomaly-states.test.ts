import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { changeAnomalyState } from "../src/services/anomalies/anomaly-states.js";
import { runInProcess } from "./support/cli-streams.js";
import { sampleValue } from "./support/exposition.js";
import { Harness } from "./support/harness.js";

interface Listed {
  state: string;
  anomalies: { total: number; shown: Record<string, string | null>[] };
}

const OPERATOR = "anomaly-operator";
const h = new Harness();
let env: Record<string, string>;
let rt: Runtime;
/** Anomaly ids by name: old (detected 2026-01-10), a and b (detected now). */
const id: Record<string, string> = {};

const cli = (...args: string[]) => runInProcess(args, { env });
const list = async (...args: string[]) => JSON.parse((await cli("anomalies", "--json", ...args)).stdout) as Listed;
const states = async () =>
  Object.fromEntries(
    (await h.sql<{ id: string; state: string }>(`SELECT id::text, state FROM cost_anomalies`)).map((r) => [
      r.id,
      r.state,
    ]),
  );
const openGauge = async () => {
  const text = await (await fetch(`${rt.opsUrl!}/metrics`)).text();
  return sampleValue(text, "cost_sync_open_anomalies");
};

beforeAll(async () => {
  await h.setup();
  env = { DATABASE_URL: h.db.url, QUEUE_PREFIX: h.prefix, COST_SYNC_OPERATOR: OPERATOR };
  const [run] = await h.sql<{ id: string }>(
    `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, finished_at) VALUES ('j', 'manual', 'completed', now()) RETURNING id::text`,
  );
  const rows = await h.sql<{ id: string }>(
    `INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct, detected_at)
     VALUES ($1, 'vps', gen_random_uuid(), 10, 30, 20, 200, '2026-01-10T12:00:00Z'),
            ($1, 'vps', gen_random_uuid(), 20, 5, -15, -75, now()),
            ($1, 'ip', gen_random_uuid(), 3, 9, 6, 200, now())
     RETURNING id::text`,
    [run!.id],
  );
  for (const [i, name] of ["old", "a", "b"].entries()) id[name] = rows[i]!.id;
  rt = await h.start({ ops: true, statusMaxAgeMs: 0 });
}, 60_000);
afterAll(async () => {
  await h.teardown();
});

/**
 * The lifecycle is one story: each test starts from the states the tests before it leave. In file order
 * they have made them; a test run alone (`-t NAME`) has them written here first, as those tests leave them.
 */
const mark = (anomaly: string, set: string, params: unknown[]) =>
  h.sql(`UPDATE cost_anomalies SET ${set} WHERE id = $1::bigint`, [anomaly, ...params]);
const ack = (anomaly: string, by: string, note: string) =>
  mark(anomaly, `state = 'acknowledged', acknowledged_by = $2, acknowledged_at = now(), note = $3`, [by, note]);
const STORY: (() => Promise<unknown>)[] = [
  () => Promise.resolve(), // lists
  () => ack(id.a!, OPERATOR, "price rise announced by Hostwinds"),
  () => Promise.resolve(), // refuses
  () => ack(id.old!, OPERATOR, "January's migration"),
  () =>
    mark(id.a!, `state = 'resolved', resolved_by = $2, resolved_at = now(), resolution_note = $3`, [
      OPERATOR,
      "contract updated",
    ]),
  () => ack(id.b!, "alice", "mine"),
];
let told = 0;
/** Brings the world to where the first `n` tests leave it, if they have not run. */
async function storySoFar(n: number): Promise<void> {
  while (told < n) await STORY[told++]!();
}
const toldUpTo = (n: number) => {
  told = Math.max(told, n);
};

describe("anomaly lifecycle", { timeout: 60_000 }, () => {
  it("lists open anomalies by default, each with its state and who acknowledged it", async () => {
    await storySoFar(0);
    const open = await list();
    expect(open.state).toBe("open");
    expect(open.anomalies.total).toBe(3);
    expect(open.anomalies.shown[0]).toMatchObject({
      state: "open",
      acknowledgedBy: null,
      acknowledgedAt: null,
      note: null,
    });
    expect(await openGauge()).toBe(3);
    toldUpTo(1);
  });

  it("ack by id records who, when and the note; the gauge and the open list drop it", async () => {
    await storySoFar(1);
    const r = await cli("anomalies", "ack", id.a!, "--note", "price rise announced by Hostwinds");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(`1 anomaly now acknowledged: ${id.a!}\n`);
    const acked = await list("--state", "acknowledged");
    expect(acked.anomalies.shown).toEqual([
      expect.objectContaining({
        id: id.a,
        state: "acknowledged",
        acknowledgedBy: OPERATOR,
        note: "price rise announced by Hostwinds",
      }),
    ]);
    expect(Date.now() - Date.parse(acked.anomalies.shown[0]!.acknowledgedAt!)).toBeLessThan(60_000);
    expect((await list()).anomalies.total).toBe(2);
    expect(await openGauge()).toBe(2);
    toldUpTo(2);
  });

  it("refuses an unknown id, a missing note, or ids with --before, and writes nothing", async () => {
    await storySoFar(2);
    const before = await states();
    const unknown = await cli("anomalies", "ack", id.b!, "999999", "--note", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cost-sync anomalies: no anomaly with id 999999/);
    expect((await cli("anomalies", "ack", id.b!)).stderr).toMatch(/ack needs --note TEXT/);
    expect((await cli("anomalies", "ack", id.b!, "--before", "2026-01-01", "--note", "x")).code).toBe(2);
    expect((await cli("anomalies", "ack", "abc", "--note", "x")).stderr).toMatch(/positive integer/);
    expect((await cli("anomalies", "akc", "1")).stderr).toMatch(/did you mean ack/);
    expect((await cli("anomalies", "--state", "opn")).stderr).toMatch(/did you mean open/);
    expect(await states()).toEqual(before);
    toldUpTo(3);
  });

  it("ack --before takes every open anomaly detected before that date, and only those", async () => {
    await storySoFar(3);
    const r = await cli("anomalies", "ack", "--before", "2026-02-01", "--note", "January's migration", "--json");
    expect(JSON.parse(r.stdout)).toEqual({
      transition: "ack",
      state: "acknowledged",
      changed: [id.old],
      unchanged: [],
    });
    expect(await states()).toMatchObject({ [id.old!]: "acknowledged", [id.b!]: "open" });
    toldUpTo(4);
  });

  it("resolve keeps the acknowledgement beside the resolution; a resolved one is not acknowledged again", async () => {
    await storySoFar(4);
    expect((await cli("anomalies", "resolve", id.a!, "--note", "contract updated")).code).toBe(0);
    const [row] = (await list("--state", "resolved")).anomalies.shown;
    expect(row).toMatchObject({
      id: id.a,
      state: "resolved",
      acknowledgedBy: OPERATOR,
      note: "price rise announced by Hostwinds",
      resolvedBy: OPERATOR,
      resolutionNote: "contract updated",
    });
    const again = await cli("anomalies", "ack", id.a!, "--note", "late");
    expect(again.stdout).toBe(`0 anomalies now acknowledged\nanomaly ${id.a!} left as it was: already resolved\n`);
    expect((await states())[id.a!]).toBe("resolved");
    toldUpTo(5);
  });

  it("two people acting at once: one changes the anomaly, the other is told it already moved", async () => {
    await storySoFar(5);
    const by = (who: string) => changeAnomalyState(rt.db, "ack", { target: { ids: [id.b!] }, by: who, note: "mine" });
    const [x, y] = await Promise.all([by("alice"), by("bob")]);
    expect([x.changed, y.changed].flat()).toEqual([id.b]);
    expect([...x.unchanged, ...y.unchanged]).toEqual([{ id: id.b, state: "acknowledged" }]);
    expect(await openGauge()).toBe(0);
    toldUpTo(6);
  });

  it("reopen puts an anomaly back to open, clears who acknowledged it, and the gauge counts it again", async () => {
    await storySoFar(6);
    expect((await cli("anomalies", "reopen", id.b!)).code).toBe(0);
    const [row] = (await list()).anomalies.shown;
    expect(row).toMatchObject({ id: id.b, state: "open", acknowledgedBy: null, note: null });
    expect(await openGauge()).toBe(1);
    expect((await list("--state", "all")).anomalies.total).toBe(3);
    toldUpTo(7);
  });
});
