import { describe, expect, it } from "vitest";
import { reconcileJob } from "../src/jobs/reconcile.job.js";
import { previousMonth, nextMonth, monthOf } from "../src/months.js";
import { closeMonthRequest } from "../src/cli/close-month-command.js";
import { fakeJob, fakeWorld, silentLog } from "./support/fake-context.js";

// The automatic close's decisions on fakes (the SQL is proved in month-close*.test.ts), and the
// calendar arithmetic they rest on.

const startedIn = (w: ReturnType<typeof fakeWorld>) => previousMonth([...w.store.runs.values()][0]!.startedAt);

describe("the close after a reconciliation", () => {
  it("closes the previous month after a scheduled run, with the figures refreshed first", async () => {
    const w = fakeWorld({ COST_SYNC_OPERATOR: "worker-1" });
    const r = await reconcileJob.handle(w.ctx, { trigger: "schedule" }, fakeJob(), silentLog);
    expect(w.store.monthCloses).toEqual([
      { month: startedIn(w), closedBy: "worker-1", trigger: "schedule", reason: `scheduled reconciliation ${String(r.runId)}`, runId: r.runId }, // prettier-ignore
    ]);
    expect(w.store.refreshes).toBe(1);
    expect(w.events.map((e) => e.event)).toContain("cost_month_closed");
  });

  it("closes nothing after a manual run", async () => {
    const w = fakeWorld();
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog);
    expect(w.store.monthCloses).toEqual([]);
    expect(w.store.refreshes).toBe(0);
  });

  it("leaves a month Finance closed first as it is, without recomputing anything", async () => {
    const w = fakeWorld();
    const month = previousMonth(new Date());
    w.store.monthCloses.push({ month, closedBy: "finance", trigger: "command", reason: "early" });
    await reconcileJob.handle(w.ctx, { trigger: "schedule" }, fakeJob(), silentLog);
    expect(w.store.monthCloses).toHaveLength(1);
    expect(w.store.refreshes).toBe(0);
  });

  it("completes the run when the close fails: the month stays open for close-month", async () => {
    const w = fakeWorld();
    w.ctx.repos.monthClose.close = () => Promise.reject(new Error("connection lost"));
    const r = await reconcileJob.handle(w.ctx, { trigger: "schedule" }, fakeJob(), silentLog);
    expect(r.outcome).toBe("completed");
    expect([...w.store.runs.values()][0]?.status).toBe("completed");
    expect(w.store.monthCloses).toEqual([]);
  });
});

describe("months", () => {
  it("are UTC calendar months", () => {
    expect(previousMonth(new Date("2026-01-01T00:30:00Z"))).toBe("2025-12");
    expect(previousMonth(new Date("2026-03-31T23:59:59Z"))).toBe("2026-02");
    expect(monthOf(new Date("2026-11-30T23:59:59-05:00"))).toBe("2026-12");
    expect(nextMonth("2026-12")).toBe("2027-01");
  });

  it("make close-month refuse the current month and later, and accept the one before", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    expect(() => closeMonthRequest(["2026-11"], now)).toThrow(
      /current month \(UTC\): it can be closed from 2026-12-01/,
    );
    expect(() => closeMonthRequest(["2027-01"], now)).toThrow(/in the future/);
    expect(closeMonthRequest(["2026-10"], now)).toMatchObject({ month: "2026-10", reopen: false });
    expect(() => closeMonthRequest(["2026-10", "--reopen"], now)).toThrow(/--reopen needs --reason/);
  });
});
