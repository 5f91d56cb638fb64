import { describe, expect, it } from "vitest";
import { statement, withIncludes } from "../src/db/sql.js";

// `/* @include name */` (src/db/sql.ts): how statements share a block of SQL and still read as one statement.
const fragments: Record<string, string> = {
  hist: "-- what it is\n-- second line of comment\nINSERT INTO h (a, b) SELECT :kind, id\n",
  anom: "anom AS (SELECT :kind FROM /* @include inner */)",
  inner: "changed",
  loop: "x /* @include loop2 */",
  loop2: "y /* @include loop */",
};
const read = (name: string) => {
  const f = fragments[name];
  if (f === undefined) throw new Error(`no include ${name}`);
  return f;
};

describe("withIncludes", () => {
  it("replaces the comment by the fragment, its leading comments dropped, nested includes resolved", () => {
    expect(withIncludes("WITH hist AS (/* @include hist */ FROM changed), /* @include anom */ SELECT 1", read)).toBe(
      "WITH hist AS (INSERT INTO h (a, b) SELECT :kind, id FROM changed), anom AS (SELECT :kind FROM changed) SELECT 1",
    );
  });

  it("leaves a statement with no include as it is", () => {
    const sql = "SELECT 1 /* a comment */ -- @include hist\n";
    expect(withIncludes(sql, read)).toBe(sql);
  });

  it("refuses an unknown name and a cycle", () => {
    expect(() => withIncludes("/* @include nothing */", read)).toThrow(/no include nothing/);
    expect(() => withIncludes("/* @include loop */", read)).toThrow(/include cycle: loop -> loop2 -> loop/);
  });

  it("gives an included block's parameters the includer's numbers, the same name the same number", () => {
    const s = statement<{ kind: string; runId: string | null; usd: string | null; percent: number | null }>(
      "vps/write-costs",
    );
    expect(s.text).not.toContain("@include");
    expect(s.text).toContain("INSERT INTO cost_history");
    expect(s.names.filter((n) => n === "kind")).toHaveLength(1);
    expect(s.names).toEqual(
      expect.arrayContaining(["kind", "reason", "jobId", "changedBy", "runId", "usd", "percent"]),
    );
  });
});
