import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/db/client.js";
import { pgTransaction, type PgQueryable } from "../src/db/sql.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// pgTransaction is the one way to run a transaction: on a pg connection or on the Prisma client, the same
// options mean the same thing.

let db: TestDatabase;
let pool: pg.Pool;
let prisma: Db;
beforeAll(async () => {
  db = await createMigratedDatabase("cs_tx");
  pool = new pg.Pool({ connectionString: db.url, max: 3 });
  prisma = createDb(pool);
  await pool.query(`CREATE TABLE tx_probe (n int)`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

const count = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM tx_probe`)).rows[0]!.n;
const setting = async (run: (sql: string) => Promise<unknown[]>, name: string) =>
  ((await run(`SELECT current_setting('${name}') AS v`)) as { v: string }[])[0]!.v;

describe("pgTransaction", () => {
  it("on the Prisma client: commits, rolls back when keep says so (returning the result) and on a throw", async () => {
    await pool.query(`TRUNCATE tx_probe`);
    expect(await pgTransaction(prisma, (tx) => tx.$executeRawUnsafe(`INSERT INTO tx_probe VALUES (1)`))).toBe(1);
    const kept = await pgTransaction(prisma, (tx) => tx.$executeRawUnsafe(`INSERT INTO tx_probe VALUES (2)`), {
      keep: () => false,
    });
    expect(kept).toBe(1);
    const boom = new Error("boom");
    await expect(
      pgTransaction(prisma, async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO tx_probe VALUES (3)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await count()).toBe(1);
  });

  it("on the Prisma client and on a connection: isolation, read only and the lock timeout are applied", async () => {
    const o = { isolation: "RepeatableRead", readOnly: true, lockTimeout: "10s" } as const;
    const names = ["transaction_isolation", "transaction_read_only", "lock_timeout"];
    const viaPrisma = await pgTransaction(
      prisma,
      async (tx) => {
        const out: string[] = [];
        for (const n of names) out.push(await setting((s) => tx.$queryRawUnsafe(s), n));
        return out;
      },
      o,
    );
    const c = await pool.connect();
    try {
      const viaPg = await pgTransaction(
        c as PgQueryable,
        async (tx) => {
          const out: string[] = [];
          for (const n of names) out.push(await setting(async (s) => (await tx.query(s)).rows, n));
          return out;
        },
        o,
      );
      expect(viaPg).toEqual(["repeatable read", "on", "10s"]);
    } finally {
      c.release();
    }
    expect(viaPrisma).toEqual(["repeatable read", "on", "10s"]);
  });
});
