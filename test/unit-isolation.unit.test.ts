import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { UnitIsolationError } from "./setup/unit-isolation.js";

// The unit project's setup (test/setup/unit-isolation.ts) keeps `.unit` meaning what it says.
describe("a unit spec", () => {
  it("cannot connect to PostgreSQL or Redis, or open a server", () => {
    expect(() => net.connect(5432, "127.0.0.1")).toThrow(UnitIsolationError);
    expect(() => net.connect(6379, "127.0.0.1")).toThrow(/unit specs touch no database, Redis, network or process/);
    expect(() => net.createServer().listen(0)).toThrow(UnitIsolationError);
  });

  it("cannot start a process, whichever way child_process is imported", () => {
    expect(() => spawnSync("true")).toThrow(UnitIsolationError);
    expect(() => spawn(process.execPath, ["-v"])).toThrow(/child_process\.spawn in a unit spec/);
  });
});
