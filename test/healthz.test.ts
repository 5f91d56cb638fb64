import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/env.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { healthChecks } from "../src/worker-services.js";
import { createEmptyDatabase, createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// /healthz fails when the worker cannot do its work: each dependency's check names what is wrong.

let migrated: TestDatabase;
let empty: TestDatabase;
const res = new Resources();
let redis: Redis;

beforeAll(async () => {
  [migrated, empty] = await Promise.all([createMigratedDatabase("cs_health"), createEmptyDatabase("cs_health_empty")]);
  redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  redis.disconnect();
  await res.close();
  await Promise.all([migrated.drop(), empty.drop()]);
});

/** Every check's outcome by name, as /healthz reports them. */
async function outcomes(databaseUrl: string): Promise<Record<string, string>> {
  const cfg = loadConfig({ DATABASE_URL: databaseUrl, HOSTWINDS_API_URL: "http://127.0.0.1:1/cloud/api.php" });
  const { db } = openDatabase(res, databaseUrl, { poolSize: 1 });
  const out: Record<string, string> = {};
  for (const [name, check] of Object.entries(healthChecks(cfg, { db, redis })))
    out[name] = await check().then(
      () => "ok",
      (err: unknown) => `down: ${(err as Error).message}`,
    );
  return out;
}

describe("/healthz checks", () => {
  it("pass on a migrated database with Redis up", async () => {
    expect(await outcomes(migrated.url)).toEqual({
      redis: "ok",
      postgres: "ok",
      schema: "ok",
      hostwindsKey: "ok",
      hostwindsAuth: "ok",
    });
  });

  it("fail the schema on a database that is not migrated, saying what to run", async () => {
    expect(await outcomes(empty.url)).toMatchObject({
      postgres: "ok",
      schema: "down: not migrated: run `cost-sync migrate`",
    });
  });

  it("fail postgres (and the schema with it) when PostgreSQL does not answer", async () => {
    const r = await outcomes("postgresql://postgres@127.0.0.1:1/nowhere");
    expect(r.redis).toBe("ok");
    expect(r.postgres).toMatch(/^down: /);
    expect(r.schema).toMatch(/^down: /);
  });
});
