import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify, type CheckResult } from "../src/migrator/verify.js";
import { createEmptyDatabase, createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";
import { runCli } from "./support/worker-process.js";

// `verify` checks the data, not only the objects: money that is a number, the conservation
// invariant, VPS nobody priced, duplicate service ids, pinned search_paths.

let db: TestDatabase;
const sql = (text: string) => withClient(db.url, (c) => c.query(text));
const byName = async (pattern: RegExp): Promise<CheckResult> => {
  const found = (await verify(db.url)).find((r) => pattern.test(r.name));
  if (!found) throw new Error(`no check matches ${String(pattern)}`);
  return found;
};
const conservation = () => byName(/^conservation/);

beforeAll(async () => {
  db = await createMigratedDatabase("cs_verify");
  await sql(`INSERT INTO tenants (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 't1')`);
  await sql(`INSERT INTO vps_instances (id, hostwinds_instance_id, status, tenant_id, approximate_cost, approximate_cost_synced_at)
             VALUES ('00000000-0000-4000-8000-0000000000a1', '30', 'active', '00000000-0000-4000-8000-000000000001', 12.34, now()),
                    ('00000000-0000-4000-8000-0000000000a2', '31', 'active', NULL, 20.00, now())`);
  await sql(`INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost, approximate_cost_synced_at)
             SELECT id, '192.0.2.' || row_number() OVER (), 'warmed', 4.99, now() FROM vps_instances`);
  await sql(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
});
afterAll(async () => {
  await db.drop();
});

describe("verify on data", () => {
  it("passes the conservation invariant to the cent, with the figures", async () => {
    expect(await conservation()).toMatchObject({
      status: "PASS",
      detail: "attributed 17.33 + unallocated 24.99 = 42.32; base tables 42.32 (vps 32.34, ip 9.98)",
    });
  });

  it("FAILs a mismatch on fresh figures and WARNs a stale attribution", async () => {
    // bulk SQL that neither writes history nor touches synced_at: the attribution looks fresh
    await sql(`UPDATE vps_instances SET approximate_cost = 13.34 WHERE hostwinds_instance_id = '30'`);
    const mismatch = await conservation();
    expect(mismatch.status).toBe("FAIL");
    expect(mismatch.detail).toMatch(/^mismatch on fresh figures/);
    // the same change made as the worker makes it: the attribution is older than the change
    await sql(`UPDATE vps_instances SET approximate_cost_synced_at = now() WHERE hostwinds_instance_id = '30'`);
    const stale = await conservation();
    expect(stale.status).toBe("WARN");
    expect(stale.detail).toMatch(/^stale, run `cost-sync refresh`/);
    await sql(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
    expect((await conservation()).status).toBe("PASS");
  });

  it("refuses NaN in every money column, naming the constraint", async () => {
    for (const [table, column, constraint] of [
      ["vps_instances", "approximate_cost", "chk_vps_approximate_cost_positive"],
      ["vps_instances", "approximate_cost_override", "chk_vps_approximate_cost_override_positive"],
      ["smtp_ip_addresses", "approximate_cost", "chk_smtp_approximate_cost_positive"],
      ["smtp_ip_addresses", "approximate_cost_override", "chk_smtp_approximate_cost_override_positive"],
    ]) {
      await expect(sql(`UPDATE ${table!} SET ${column!} = 'NaN'`)).rejects.toThrow(constraint!);
    }
    await expect(
      sql(`INSERT INTO cost_history (resource_kind, resource_id, new_value, source, reason, job_id)
           VALUES ('vps', gen_random_uuid(), 'NaN', 'test', 'test', 'test')`),
    ).rejects.toThrow("cost_history_new_value_check");
  });

  it("FAILs NaN and negative amounts with their ids where a constraint was lost, without breaking the invariant check", async () => {
    await sql(`ALTER TABLE vps_instances DROP CONSTRAINT chk_vps_approximate_cost_positive`);
    await sql(`INSERT INTO vps_instances (id, hostwinds_instance_id, status, approximate_cost)
               VALUES ('00000000-0000-4000-8000-0000000000b1', '90', 'active', 'NaN'),
                      ('00000000-0000-4000-8000-0000000000b2', '91', 'active', -1)`);
    expect(await byName(/^vps_instances.approximate_cost holds/)).toMatchObject({
      status: "FAIL",
      ids: ["00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2"],
      count: 2,
    });
    const guards = await byName(/reject NaN/);
    expect(guards.status).toBe("FAIL");
    expect(guards.detail).toContain("chk_vps_approximate_cost_positive");
    expect((await conservation()).status).toBe("PASS");
    await sql(`DELETE FROM vps_instances WHERE hostwinds_instance_id IN ('90', '91')`);
    await sql(
      `ALTER TABLE vps_instances ADD CONSTRAINT chk_vps_approximate_cost_positive CHECK (approximate_cost >= 0 AND approximate_cost <> 'NaN')`,
    );
  });

  it("WARNs costly VPS with neither a cost nor a reason, FAILs two rows naming one instance", async () => {
    await sql(`INSERT INTO vps_instances (id, hostwinds_instance_id, status)
               VALUES ('00000000-0000-4000-8000-0000000000c1', '0030', 'provisioning'),
                      ('00000000-0000-4000-8000-0000000000c2', 'x-7', 'decommissioned')`);
    expect(await byName(/has a cost or an unpriced reason/)).toMatchObject({
      status: "WARN",
      ids: ["00000000-0000-4000-8000-0000000000c1"],
      count: 1,
    });
    expect(await byName(/same Hostwinds instance/)).toMatchObject({
      status: "FAIL",
      ids: ["30: 00000000-0000-4000-8000-0000000000c1 (0030), 00000000-0000-4000-8000-0000000000a1 (30)"],
      count: 1,
    });
    await sql(
      `DELETE FROM vps_instances WHERE id IN ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000c2')`,
    );
    expect((await byName(/same Hostwinds instance/)).status).toBe("PASS");
  });

  it("FAILs a function whose search_path is no longer pinned", async () => {
    expect((await byName(/pin their search_path/)).status).toBe("PASS");
    await sql(`ALTER FUNCTION cost_sync_current_tenant() RESET search_path`);
    expect(await byName(/pin their search_path/)).toMatchObject({
      status: "FAIL",
      detail: "cost_sync_current_tenant (not pinned): run `cost-sync migrate`",
    });
  });

  it("prints --json with every check's status and ids", async () => {
    // The function left unpinned, as the test before leaves it.
    await sql(`ALTER FUNCTION cost_sync_current_tenant() RESET search_path`);
    const r = await runCli(["verify", "--json"], { DATABASE_URL: db.url });
    const json = JSON.parse(r.stdout) as {
      ok: boolean;
      fail: number;
      total: number;
      checks: { name: string; status: string; idCount: number }[];
    };
    expect(r.code).toBe(1); // the unpinned function above
    expect(json).toMatchObject({ ok: false, fail: 1 });
    expect(json.checks).toHaveLength(json.total);
    expect(json.checks.filter((c) => c.status === "FAIL").map((c) => c.name)).toEqual([
      "the isolation and event functions pin their search_path (pg_catalog first)",
    ]);
  });
});

describe("verify on the outbox's trigger functions", () => {
  it("FAILs one that runs with the rights of whoever writes the application's tables again", async () => {
    expect((await byName(/run with their owner's rights/)).status).toBe("PASS");
    await sql(`ALTER FUNCTION cost_sync_record_event() SECURITY INVOKER`);
    expect(await byName(/run with their owner's rights/)).toMatchObject({
      status: "FAIL",
      detail: "cost_sync_record_event (SECURITY INVOKER): run `cost-sync migrate`",
    });
  });
});

describe("verify on an empty database", () => {
  it("lists FAILs and exits 1, without throwing", async () => {
    const empty = await createEmptyDatabase("cs_verify_empty");
    try {
      const results = await verify(empty.url);
      expect(results.length).toBeGreaterThan(30);
      expect(results.filter((r) => r.status === "FAIL").length).toBeGreaterThan(25);
      expect(results.find((r) => r.name.startsWith("conservation"))!.detail).toMatch(
        /could not check: relation .* does not exist/,
      );
      const cli = await runCli(["verify"], { DATABASE_URL: empty.url });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/FAIL {2}conservation/);
      expect(cli.stderr).toBe("");
    } finally {
      await empty.drop();
    }
  });
});
