import type pg from "pg";
import { describe, expect, it } from "vitest";
import { DATA_CHECKS } from "../src/migrator/verify-data.js";

// The age of the attribution comes from the server's clock (refreshed_at is now() at refresh):
// a real database cannot be an hour old on demand, so this check runs on the row it would read.
const ageCheck = DATA_CHECKS.find((c) => c.name.startsWith("the attribution behind the views"))!;
const answering = (row: Record<string, unknown>) =>
  ({ query: () => Promise.resolve({ rows: [row], rowCount: 1, fields: [] }) }) as unknown as pg.Client;
const at = new Date("2026-11-26T09:00:00Z");

describe("the attribution age check", () => {
  it("WARNs past an hour, with when it was refreshed", async () => {
    expect(await ageCheck.run(answering({ refreshed_at: at, age_seconds: "3601", has_cost: true }))).toEqual({
      status: "WARN",
      detail: "refreshed 2026-11-26T09:00:00.000Z (60 min ago): is the worker running? `cost-sync refresh`",
    });
  });

  it("PASSes under an hour, and when there is no cost to attribute", async () => {
    expect((await ageCheck.run(answering({ refreshed_at: at, age_seconds: "3599", has_cost: true }))).status).toBe(
      "PASS",
    );
    expect(await ageCheck.run(answering({ refreshed_at: null, age_seconds: null, has_cost: false }))).toEqual({
      status: "PASS",
      detail: "no cost to attribute yet",
    });
  });

  it("WARNs when costs exist but nothing was ever attributed", async () => {
    expect((await ageCheck.run(answering({ refreshed_at: null, age_seconds: null, has_cost: true }))).status).toBe(
      "WARN",
    );
  });
});
