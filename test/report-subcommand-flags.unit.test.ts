import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { Capture } from "./support/cli-streams.js";

/** Nothing listens there: the parser refuses before a connection is tried; one that was tried would exit 1. */
const NO_SERVER: Record<string, string> = {
  DATABASE_URL: "postgresql://nobody@127.0.0.1:9/none",
  REDIS_URL: "redis://127.0.0.1:9",
};

async function cli(...args: string[]) {
  const out = new Capture();
  const err = new Capture();
  const code = await main(args, { out, err, env: NO_SERVER });
  return { code, stdout: out.text, stderr: err.text };
}

describe("report subcommands each parse their own flags", () => {
  it.each([
    [["trend", "--html", "x"], /report trend takes no --html: --html is for report executive and report digest/],
    [["executive", "--months", "3"], /report executive takes no --months: --months and --tenant are for report trend and report savings/], // prettier-ignore
    [["executive", "--since", "7d"], /report executive takes no --since: --since and --markdown are for report digest/],
    [["allocation", "--html", "x"], /report allocation takes no --html/],
    [["digest", "--csv"], /report digest takes no --csv/],
    [["trend", "--kind", "idle_ip"], /report trend takes no --kind: --kind, --state and --realised are for report savings/], // prettier-ignore
    [["invoices", "--tenant", "x"], /report invoices takes no --tenant/],
    [["savings", "--month", "2026-01"], /report savings takes no --month: --month is for report invoices/],
    [["trend", "--jsn"], /unknown flag --jsn for report trend \(did you mean --json\?\)/],
  ])("report %j exits 2 naming the flag and the subcommand", async (args, message) => {
    const r = await cli("report", ...args);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toMatch(message);
  });

  it("finds the subcommand after a flag and its value", async () => {
    const r = await cli("report", "--months", "3", "executive");
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("report executive takes no --months")]);
  });

  it("lists only the subcommand's flags in its help", async () => {
    const savings = await cli("report", "savings", "--help");
    expect(savings.code).toBe(0);
    expect(savings.stdout).toMatch(/^ {2}cost-sync report savings /m);
    expect(savings.stdout).toMatch(/^ {6}--kind K /m);
    expect(savings.stdout).toMatch(/^ {6}--realised /m);
    expect(savings.stdout).not.toContain("--html");
    expect(savings.stdout).not.toContain("--since");
    expect(await cli("help", "report", "savings")).toEqual(savings);
    const trend = (await cli("report", "trend", "-h")).stdout;
    expect(trend).toMatch(/^ {6}--months N /m);
    expect(trend).not.toMatch(/--kind|--html|--month /);
    const executive = (await cli("report", "executive", "--help")).stdout;
    expect(executive).toMatch(/^ {6}--html FILE /m);
    expect(executive).not.toMatch(/--months|--since|--kind/);
  });
});
