import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { costOf, Harness, insertVps } from "./support/harness.js";

const h = new Harness();
beforeAll(async () => {
  await h.setup();
  await h.start({ relayListenBackoff: { minMs: 50, maxMs: 200 } });
});
afterAll(() => h.teardown());

const listeners = async () =>
  (
    await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN cost_sync_events'`,
    )
  )[0]?.n ?? 0;

describe("the event relay's LISTEN connection", () => {
  it("comes back exactly once however often it is terminated, and the relay keeps working", async () => {
    expect(await listeners()).toBe(1);
    for (let round = 0; round < 8; round++) {
      await h.sql(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query = 'LISTEN cost_sync_events'`,
      );
      await vi.waitFor(async () => expect(await listeners()).toBe(1), { timeout: 10_000, interval: 20 });
    }
    // Give a doubling reconnect time to show itself before counting the last time.
    await new Promise((r) => setTimeout(r, 500));
    expect(await listeners()).toBe(1);
    h.sim.catalogue.setInstance({ serviceid: 8100, rid: "10", billingcycle: "monthly" });
    const { vpsId } = await insertVps(h, { serviceid: 8100 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
  });
});
