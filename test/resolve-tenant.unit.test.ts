import { describe, expect, it } from "vitest";
import type { SqlRunner } from "../src/db/client.js";
import { main } from "../src/cli/main.js";
import { InputError } from "../src/services/errors.js";
import { resolveTenant } from "../src/services/tenants/resolve-tenant.js";
import { Capture } from "./support/cli-streams.js";

/** A runner that fails the test if any statement reaches it. */
const noDb = new Proxy({} as SqlRunner, {
  get: () => () => {
    throw new Error("no statement should run");
  },
});

describe("InputError at the CLI", () => {
  it("exits 2 with the message on one line of stderr and nothing on stdout", async () => {
    const out = new Capture();
    const err = new Capture();
    const code = await main(["boom"], {
      out,
      err,
      env: { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" },
      devCommands: {
        boom: {
          help: "throws an InputError",
          run: () => Promise.reject(new InputError('tenant name "x" is ambiguous: a (1), b (2); use the uuid')),
        },
      },
    });
    expect(code).toBe(2);
    expect(out.text).toBe("");
    expect(err.text).toBe('cost-sync boom: tenant name "x" is ambiguous: a (1), b (2); use the uuid\n');
  });

  it("resolveTenant refuses an empty name without a query", async () => {
    await expect(resolveTenant(noDb, " \t")).rejects.toThrow(
      new InputError("no tenant given: pass a tenant uuid or name"),
    );
  });
});
