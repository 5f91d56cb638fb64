import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { adminQuery, createEmptyDatabase, createMigratedDatabase, urlFor, type TestDatabase } from "./support/pg.js";
import { runCli } from "./support/worker-process.js";

/** Each failure is one line of advice on stderr, exit 1: never a Prisma dump or a stack. */
function expectAdvice(r: { code: number | null; stdout: string; stderr: string }, advice: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(advice);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/prisma|Invalid `|\bat \w+ \(/i);
}

const VPS = "00000000-0000-4000-8000-000000000001";
const role = `cs_t_role_${randomBytes(4).toString("hex")}`;
let empty: TestDatabase;
let migrated: TestDatabase;

beforeAll(async () => {
  empty = await createEmptyDatabase("cs_t_empty");
  migrated = await createMigratedDatabase();
  await adminQuery(`CREATE ROLE ${role} LOGIN`);
});
afterAll(async () => {
  await empty.drop();
  await migrated.drop();
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

describe("errors in plain words", { timeout: 60_000 }, () => {
  it("a database that does not exist (real process)", async () => {
    const r = await runCli(["config", "get", "smtp-ip-cost"], { DATABASE_URL: urlFor("cs_t_no_such_db") });
    expectAdvice(
      r,
      /^cost-sync config: check DATABASE_URL: database cs_t_no_such_db does not exist on 127\.0\.0\.1:5432/,
    );
  });

  it("an unmigrated schema (real process)", async () => {
    const r = await runCli(["override", "vps", VPS, "5"], { DATABASE_URL: empty.url });
    expectAdvice(
      r,
      new RegExp(
        `^cost-sync override: database ${empty.name} is not migrated for cost-sync: run \`cost-sync migrate\``,
      ),
    );
  });

  it("PostgreSQL not listening", async () => {
    const r = await runInProcess(["history", "vps", VPS], {
      env: { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x" },
    });
    expectAdvice(
      r,
      /^cost-sync history: PostgreSQL is unreachable at 127\.0\.0\.1:1.*: start it, or check DATABASE_URL$/m,
    );
  });

  it("a role that does not exist, and one without the privileges", async () => {
    const noRole = await runInProcess(["config", "get", "smtp-ip-cost"], {
      env: { DATABASE_URL: `postgresql://cs_t_nobody@127.0.0.1:5432/${migrated.name}` },
    });
    expectAdvice(
      noRole,
      /^cost-sync config: check DATABASE_URL: PostgreSQL refused role cs_t_nobody \(role "cs_t_nobody" does not exist\)$/m,
    );
    const denied = await runInProcess(["config", "get", "smtp-ip-cost"], {
      env: { DATABASE_URL: `postgresql://${role}@127.0.0.1:5432/${migrated.name}` },
    });
    expectAdvice(
      denied,
      /^cost-sync config: PostgreSQL: permission denied \(permission denied for table system_config\): grant the role/m,
    );
  });

  it("status names the service that is down and exits 1", async () => {
    const pgDown = await runInProcess(["status", "--json"], {
      env: {
        DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x",
        QUEUE_PREFIX: `cs-t-${randomBytes(3).toString("hex")}`,
      },
    });
    expect(pgDown.code).toBe(1);
    expect(JSON.parse(pgDown.stdout)).toMatchObject({
      postgres: { ok: false, error: expect.stringMatching(/^PostgreSQL is unreachable at 127\.0\.0\.1:1/) as unknown },
      redis: { ok: true },
      unpriced: null,
    });
    const redisDown = await runInProcess(["status"], {
      env: { DATABASE_URL: migrated.url, REDIS_URL: "redis://127.0.0.1:1" },
    });
    expect(redisDown.code).toBe(1);
    expect(redisDown.stdout).toMatch(/^PostgreSQL: ok$/m);
    expect(redisDown.stdout).toMatch(
      /^Redis: FAILED — Redis unreachable at redis:\/\/127\.0\.0\.1:1.*: start Redis, or check REDIS_URL$/m,
    );
  });
});
