import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/env.js";
import { operatorOf } from "../src/operator.js";

const base = { DATABASE_URL: "postgresql://x@127.0.0.1/db" };

describe("COST_SYNC_OPERATOR", () => {
  it("names who is at the command line, else the OS user", () => {
    expect(operatorOf(loadConfig({ ...base, COST_SYNC_OPERATOR: "  finance-anna " }))).toBe("finance-anna");
    expect(operatorOf(loadConfig({ ...base, COST_SYNC_OPERATOR: "" }))).toBe(userInfo().username);
    expect(operatorOf(loadConfig(base))).toBe(userInfo().username);
  });

  it("refuses a name that would garble the change log, naming the variable", () => {
    for (const bad of ["a\nb", "x".repeat(201)]) {
      expect(() => loadConfig({ ...base, COST_SYNC_OPERATOR: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, COST_SYNC_OPERATOR: bad })).toThrow(/COST_SYNC_OPERATOR/);
    }
  });
});
