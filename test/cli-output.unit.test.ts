import { describe, expect, it } from "vitest";
import { advise } from "../src/cli/advice.js";
import { parse } from "../src/cli/args.js";
import { clean, toJson } from "../src/cli/output.js";
import { duration, ProgressLine, progressLine, reconcileProgress } from "../src/cli/progress.js";
import { editDistance, suggest } from "../src/cli/suggest.js";
import { csvCell, render } from "../src/cli/table.js";
import { ConfigError } from "../src/config/env.js";
import { NotMigratedError } from "../src/runtime.js";
import { Capture } from "./support/cli-streams.js";

/** Company names come from tenants: what a hostile or careless one could hold. */
const HOSTILE = ['=HYPERLINK("http://x")', "@SUM(A1)", "\u001b[31mred", "+1+2", "-2+3", "\tTab", "\rCR"];

describe("CSV output", () => {
  it("neutralises cells a spreadsheet would run as formulas, OWASP-style", () => {
    expect(HOSTILE.map(csvCell)).toEqual([
      `"'=HYPERLINK(""http://x"")"`,
      "'@SUM(A1)",
      "\u001b[31mred", // not a formula: CSV keeps the data as it is
      "'+1+2",
      "'-2+3",
      "'\tTab",
      `"'\rCR"`,
    ]);
  });

  it("keeps plain numbers intact, negative ones included", () => {
    expect(["-12.30", "12.30", "0", "-5"].map(csvCell)).toEqual(["-12.30", "12.30", "0", "-5"]);
    const csv = render([{ company_name: "=cmd|' /C calc'!A0", monthly_profit: "-12.30" }], "csv");
    expect(csv).toBe("company_name,monthly_profit\n'=cmd|' /C calc'!A0,-12.30\n");
  });
});

describe("text tables", () => {
  const rows = [
    {
      tenant: "7f1e…",
      company_name: "Acme Deliverability Holdings International",
      cost: "1234.50",
      note: "shared VPS, two IPs",
    },
    { tenant: "8a22…", company_name: "Birch", cost: "-12.30", note: "x" },
  ];

  it("strips escape sequences and control characters from every cell", () => {
    const text = render(
      HOSTILE.map((c) => ({ company_name: c, osc: "\u001b]8;;http://x\u0007link\u001b]8;;\u0007" })),
      "table",
    );
    // eslint-disable-next-line no-control-regex -- the test looks for exactly those characters
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain("red");
    expect(text).toContain("link");
    expect(clean("a\u202eb\nc\u0007")).toBe("ab c");
  });

  it("fits the terminal by narrowing the widest text columns first, with an ellipsis", () => {
    const full = render(rows, "table");
    expect(Math.max(...full.split("\n").map((l) => l.length))).toBeGreaterThan(60);
    const fitted = render(rows, "table", undefined, { maxWidth: 60 });
    const lines = fitted.trimEnd().split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(fitted).toContain("Acme Deliverability H…");
    expect(fitted).toContain("1234.50"); // numbers never shrink
    expect(fitted).toContain("-12.30");
    expect(fitted).toContain("shared VPS, two IPs"); // the narrower text column kept its width
    expect(render(rows, "table", undefined, {})).toBe(full); // --wide, or not a terminal: every cell in full
  });

  it("prints JSON with camelCase keys and exact amounts as text", () => {
    expect(JSON.parse(render(rows.slice(1), "json"))).toEqual([
      { tenant: "8a22…", companyName: "Birch", cost: "-12.30", note: "x" },
    ]);
    expect(JSON.parse(toJson({ kept_cost: 1999n, run: { started_at: new Date(0) }, "a-b": 1 }))).toEqual({
      keptCost: "1999",
      run: { startedAt: "1970-01-01T00:00:00.000Z" },
      "a-b": 1,
    });
  });
});

describe("progress", () => {
  it("shows chunk n of m, VPS per second and an ETA, counting from the first report", () => {
    const start = { at: 1_000, done: 500 };
    const line = progressLine(
      "reconciliation",
      { done: 1_500, total: 10_000, chunk: 3, chunks: 20 },
      { start, now: 5_000 },
    );
    expect(line).toBe("reconciliation: chunk 3 of 20 · 1500 of 10000 VPS (15%) · 250 VPS/s · ETA 0:34");
    expect(progressLine("sync all", { done: 0, total: 7 }, { start: { at: 0, done: 0 }, now: 0 })).toBe(
      "sync all: 0 of 7 VPS (0%) · ETA …",
    );
    expect(duration(3_725)).toBe("1:02:05");
  });

  it("writes only to a terminal, and reads the job's progress or nothing", () => {
    let now = 0;
    const tty = new Capture({ tty: true });
    const pipe = new Capture();
    for (const err of [tty, pipe]) {
      const p = new ProgressLine(err, "reconciliation", () => now);
      p.update({ done: 0, total: 4, chunk: 0, chunks: 2 });
      now = 2_000;
      p.update({ done: 2, total: 4, chunk: 1, chunks: 2 });
      p.end();
    }
    expect(pipe.text).toBe("");
    expect(tty.text).toContain("\rreconciliation: chunk 1 of 2 · 2 of 4 VPS (50%) · 1.0 VPS/s · ETA 0:02\u001b[K");
    expect(tty.text.endsWith("\r\u001b[K")).toBe(true);
    expect(reconcileProgress({ checked: 5, total: 9, percent: 55, chunk: 1, chunks: 2 })).toEqual({
      done: 5,
      total: 9,
      chunk: 1,
      chunks: 2,
    });
    expect(reconcileProgress(42)).toBeUndefined(); // a job that reports a bare number (or nothing) shows no line
  });
});

describe("arguments", () => {
  it("tells a negative amount from a flag's value that starts with a dash", () => {
    const flags = { reason: { type: "string" }, clear: { type: "boolean" } } as const;
    expect(() => parse(["vps", "x", "-5"], flags)).toThrow("amounts must not be negative, got -5");
    expect(() => parse(["--reason", "-5% off"], flags)).toThrow(
      'a value of --reason that starts with "-" must be given as --reason=<value>',
    );
    expect(parse(["--reason=-5% off"], flags).values.reason).toBe("-5% off");
    expect(() => parse(["--clear=1"], flags)).toThrow("flag --clear takes no value");
    expect(() => parse(["--reason"], flags)).toThrow("flag --reason needs a value");
  });
});

describe("suggestions", () => {
  it("finds the closest words by edit distance", () => {
    expect(editDistance("stauts", "status")).toBe(1);
    expect(suggest("stauts", ["status", "sync", "refresh"])).toEqual(["status"]);
    expect(suggest("--wiat", ["--wait", "--wide", "--json"])).toEqual(["--wait"]);
    expect(suggest("rep", ["report", "reconcile"])).toEqual(["report"]);
    expect(suggest("zzz", ["status"])).toEqual([]);
  });
});

describe("advice for errors", () => {
  const ctx = { databaseUrl: "postgresql://app:secret@db.internal:5433/cost_sync", redisUrl: "redis://127.0.0.1:6379" };
  const prismaError = (cause: Record<string, unknown>) =>
    Object.assign(new Error("\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `x`"), {
      name: "PrismaClientKnownRequestError",
      meta: { driverAdapterError: Object.assign(new Error(String(cause.kind)), { cause }) },
    });

  it.each<[unknown, RegExp]>([
    [
      Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5433"), { code: "ECONNREFUSED", port: 5433 }),
      /^PostgreSQL is unreachable at db\.internal:5433 \(ECONNREFUSED\): start it, or check DATABASE_URL$/,
    ],
    [
      prismaError({ kind: "DatabaseNotReachable", host: "db.internal", port: 5433 }),
      /^PostgreSQL is unreachable at db\.internal:5433: start it/,
    ],
    [
      prismaError({
        kind: "DatabaseDoesNotExist",
        originalCode: "3D000",
        originalMessage: 'database "cost_sync" does not exist',
      }),
      /^check DATABASE_URL: database cost_sync does not exist on db\.internal:5433/,
    ],
    [
      Object.assign(new Error('database "cost_sync" does not exist'), { code: "3D000", severity: "FATAL" }),
      /^check DATABASE_URL: database cost_sync does not exist/,
    ],
    [
      prismaError({
        kind: "TableDoesNotExist",
        originalCode: "42P01",
        originalMessage: 'relation "system_config" does not exist',
      }),
      /^database cost_sync is not migrated for cost-sync: run `cost-sync migrate`/,
    ],
    [new NotMigratedError(), /^database cost_sync is not migrated for cost-sync: run `cost-sync migrate`/],
    [
      prismaError({
        kind: "DatabaseAccessDenied",
        originalCode: "28000",
        originalMessage: 'role "app" does not exist',
      }),
      /^check DATABASE_URL: PostgreSQL refused role app \(role "app" does not exist\)$/,
    ],
    [
      Object.assign(new Error('password authentication failed for user "app"'), { code: "28P01" }),
      /^check DATABASE_URL: PostgreSQL refused role app/,
    ],
    [
      Object.assign(new Error("permission denied for table vps_instances"), { code: "42501" }),
      /^PostgreSQL: permission denied \(permission denied for table vps_instances\): grant the role/,
    ],
    [
      new Error("Redis unreachable at redis://127.0.0.1:6379 (connect ECONNREFUSED 127.0.0.1:6379)"),
      /^Redis unreachable at .*: start Redis, or check REDIS_URL$/,
    ],
    [
      new ConfigError([{ variable: "COST_SYNC_OPERATOR", message: "must be short" }]),
      /COST_SYNC_OPERATOR: must be short/,
    ],
    [
      prismaError({ kind: "postgres", originalCode: "22P02", originalMessage: "invalid input syntax" }),
      /^PostgreSQL: invalid input syntax \(SQLSTATE 22P02\)$/,
    ],
  ])("turns %s into one line of advice", (err, advice) => {
    const line = advise(err, ctx);
    expect(line).toMatch(advice);
    expect(line).not.toContain("\n");
    expect(line).not.toContain("secret");
    expect(line).not.toMatch(/Invalid `prisma/);
  });

  it("leaves an error nobody knows as its own first line", () => {
    expect(advise(new Error("something else\n  at frame"), ctx)).toBe("something else");
    // A refused connection to another port (Hostwinds, a simulator) is not PostgreSQL's.
    expect(
      advise(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:80"), { code: "ECONNREFUSED", port: 80 }), ctx),
    ).toBe("connect ECONNREFUSED 127.0.0.1:80");
  });
});
