import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/db/client.js";
import { InputError } from "../src/services/errors.js";
import { resolveTenant } from "../src/services/tenants/resolve-tenant.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

let db: TestDatabase;
let pool: pg.Pool;
let prisma: Db;
const ids: Record<string, string> = {};

const sql = async (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
  (await pool.query<Record<string, unknown>>(text, params)).rows;
const tenant = async (key: string, name: string | null, companies: string[] = []) => {
  const [row] = await sql(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [name]);
  ids[key] = String(row?.id);
  for (const [i, c] of companies.entries()) {
    // The first company by creation names the tenant: the later ones must not.
    await sql(`INSERT INTO companies (tenant_id, name, created) VALUES ($1, $2, now() + make_interval(secs => $3))`, [
      ids[key],
      c,
      i,
    ]);
  }
};
const failure = async (text: string): Promise<InputError> => {
  const e: unknown = await resolveTenant(prisma, text).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
};

beforeAll(async () => {
  db = await createMigratedDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  prisma = createDb(pool);
  await tenant("acme", "Acme Mail", ["Acme Inc.", "Acme Holdings"]);
  await tenant("cobalt", "cobalt-tenant");
  await tenant("twinA", "Twin", ["Twin Co"]);
  await tenant("twinB", "twin co");
  await tenant("nameless", null);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe("resolveTenant", { timeout: 30_000 }, () => {
  it("finds a tenant by its company's name, trimmed and in any case, and names it so", async () => {
    expect(await resolveTenant(prisma, "  acme INC.  ")).toEqual({ id: ids.acme, name: "Acme Inc." });
  });

  it("finds a tenant by its own name too, and still names it by its company", async () => {
    expect(await resolveTenant(prisma, "ACME MAIL")).toEqual({ id: ids.acme, name: "Acme Inc." });
  });

  it("a later company's name is not the tenant's name", async () => {
    const e = await failure("Acme Holdings");
    expect(e.message).toBe('no tenant named "Acme Holdings"');
  });

  it("names a tenant without a company by its own name", async () => {
    expect(await resolveTenant(prisma, "Cobalt-Tenant")).toEqual({ id: ids.cobalt, name: "cobalt-tenant" });
  });

  it("takes a uuid in any case and names the tenant", async () => {
    expect(await resolveTenant(prisma, ` ${ids.acme!.toUpperCase()} `)).toEqual({ id: ids.acme, name: "Acme Inc." });
    expect(await resolveTenant(prisma, ids.nameless!)).toEqual({ id: ids.nameless, name: ids.nameless });
  });

  it("refuses a uuid that names no tenant", async () => {
    const e = await failure("00000000-0000-4000-8000-00000000dead");
    expect(e.message).toBe("no tenant with id 00000000-0000-4000-8000-00000000dead");
  });

  it("lists every candidate of an ambiguous name as name (uuid)", async () => {
    // "Twin Co" is one tenant's company and another's own name.
    const e = await failure("twin co");
    expect(e.message).toContain('tenant name "twin co" is ambiguous');
    expect(e.message).toContain(`Twin Co (${ids.twinA})`);
    expect(e.message).toContain(`twin co (${ids.twinB})`);
  });

  it("an unknown name lists the tenants whose names contain it", async () => {
    const e = await failure("acme");
    expect(e.message).toBe(`no tenant named "acme" (names containing it: Acme Inc. (${ids.acme}))`);
    expect((await failure("Zebra")).message).toBe('no tenant named "Zebra"');
  });

  it("an empty name is refused before any query", async () => {
    expect((await failure("   ")).message).toBe("no tenant given: pass a tenant uuid or name");
  });

  it("the view gives reports the same one name per tenant", async () => {
    const rows = await sql(
      `SELECT tenant_id::text AS id, display_name FROM tenant_display_names WHERE tenant_id = ANY($1::uuid[]) ORDER BY 2`,
      [[ids.acme, ids.cobalt, ids.twinB]],
    );
    expect(rows).toEqual([
      { id: ids.acme, display_name: "Acme Inc." },
      { id: ids.cobalt, display_name: "cobalt-tenant" },
      { id: ids.twinB, display_name: "twin co" },
    ]);
  });

  it("the view is read by the fleet roles, never by PUBLIC or application_service", async () => {
    const rows = await sql(
      `SELECT r AS role, has_table_privilege(r, 'tenant_display_names', 'SELECT') AS can
         FROM unnest(ARRAY['business_analysts','executives','application_service','db_administrators']) r ORDER BY r`,
    );
    expect(rows).toEqual([
      { role: "application_service", can: false },
      { role: "business_analysts", can: true },
      { role: "db_administrators", can: true },
      { role: "executives", can: true },
    ]);
  });
});
