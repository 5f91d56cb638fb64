import { userInfo } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/migrator/migrate.js";
import { recordSuccessfulReconciliation, setIpConstant, setPlanPriceUnit } from "../src/db/writes/settings.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { API_KEY, costOf, Harness, insertVps } from "./support/harness.js";
import { withClient } from "./support/pg.js";
import { createProductionDatabase } from "./support/production-db.js";
import { runCli } from "./support/worker-process.js";

// Who changed what: cost-sync records the author of its settings and of Finance's changes in
// tables it owns, and never writes the application's system_config.updated_by.

const h = new Harness();
let env: Record<string, string>;
const changes = () =>
  h.sql<{ key: string; old: string | null; new: string; changed_by: string; reason: string }>(
    `SELECT key, old_value #>> '{}' AS old, new_value #>> '{}' AS new, changed_by, reason
       FROM cost_sync_setting_changes ORDER BY id`,
  );
const updatedBy = () => h.sql(`SELECT key, updated_by FROM system_config ORDER BY key`);

beforeAll(async () => {
  await h.setup();
  env = {
    DATABASE_URL: h.db.url,
    HOSTWINDS_API_URL: h.sim.url,
    HOSTWINDS_API_KEY: API_KEY,
    QUEUE_PREFIX: h.prefix,
    COST_SYNC_OPERATOR: "finance-anna",
  };
});
afterAll(async () => {
  await h.teardown();
});

describe("who changed what", { timeout: 90_000 }, () => {
  it("records a settings change with its author and reason, and never writes updated_by", async () => {
    const before = await updatedBy(); // as migration 0300 left them on this text column
    expect((await runCli(["config", "set", "smtp-ip-cost", "5.10", "--yes"], env)).code).toBe(0);
    expect((await runCli(["config", "set", "smtp-ip-cost", "5.10", "--yes"], env)).code).toBe(0); // no change, no record
    expect(
      (await runCli(["config", "set", "plan-price-unit", "dollars"], { ...env, COST_SYNC_OPERATOR: "" })).code,
    ).toBe(0);
    expect(await changes()).toEqual([
      {
        key: "cost_sync.smtp_ip_monthly_cost_usd",
        old: "4.99",
        new: "5.10",
        changed_by: "finance-anna",
        reason: "config set smtp-ip-cost (cli)",
      },
      {
        key: "cost_sync.plan_price_unit",
        old: "cents",
        new: "dollars",
        changed_by: userInfo().username, // COST_SYNC_OPERATOR unset: the OS user
        reason: "config set plan-price-unit (cli)",
      },
    ]);
    expect(await updatedBy()).toEqual(before);
  });

  it("records the author of an override and of the repricing a cleared override makes", async () => {
    const { vpsId, ipIds } = await insertVps(h, { serviceid: 88, ips: 1 });
    expect((await runCli(["override", "vps", vpsId, "12.50", "--reason", "contract #7"], env)).code).toBe(0);
    expect((await runCli(["override", "ip", ipIds[0]!, "1.00"], env)).code).toBe(0);
    expect((await runCli(["override", "ip", ipIds[0]!, "--clear"], env)).code).toBe(0);
    expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("5.10");
    const history = await h.sql(
      `SELECT resource_kind AS kind, new_value::text AS value, reason, changed_by FROM cost_history ORDER BY id`,
    );
    expect(history).toEqual([
      { kind: "vps", value: "12.50", reason: "contract #7", changed_by: "finance-anna" },
      { kind: "ip", value: "1.00", reason: "override set to 1.00 (cli)", changed_by: "finance-anna" },
      { kind: "ip", value: "5.10", reason: "override cleared (cli)", changed_by: "finance-anna" },
    ]);
  });

  it("records concurrent changes of the constant as one chain: each old value is the previous new one", async () => {
    const res = new Resources();
    try {
      const { db } = openDatabase(res, h.db.url, { poolSize: 8 });
      const values = [601n, 602n, 603n, 604n, 605n, 606n, 607n, 608n];
      // The constant as the tests before left it (5.10 in file order), and the changes recorded so far.
      const ofConstant = async () => (await changes()).filter((c) => c.key === "cost_sync.smtp_ip_monthly_cost_usd");
      const [{ v: start } = { v: "" }] = await h.sql<{ v: string }>(
        `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
      );
      const prior = (await ofConstant()).length;
      await Promise.all(values.map((v) => setIpConstant(db, v, `operator ${v}`)));
      const chain = (await ofConstant()).slice(prior);
      expect(chain).toHaveLength(values.length);
      chain.forEach((c, i) => expect(c.old).toBe(i === 0 ? start : chain[i - 1]!.new));
    } finally {
      await res.close();
    }
  });

  it("leaves a uuid updated_by REFERENCES users(id) alone in every settings write", async () => {
    const prod = await createProductionDatabase({ updatedBy: "uuid" });
    const res = new Resources();
    try {
      await migrate({ databaseUrl: prod.url, smtpIpMonthlyCostUsd: "4.99", operator: "test" });
      const { db } = openDatabase(res, prod.url, { poolSize: 1 });
      await setIpConstant(db, 525n, "finance-anna");
      await setPlanPriceUnit(db, "dollars", "finance-anna");
      await recordSuccessfulReconciliation(db, "00000000-0000-4000-8000-000000000001", new Date());
      const rows = await withClient(
        prod.url,
        async (c) =>
          (
            await c.query<{ key: string; updated_by: string | null }>(
              `SELECT key, updated_by FROM system_config WHERE key LIKE 'cost_sync.%' ORDER BY key`,
            )
          ).rows,
      );
      expect(rows).toEqual([
        { key: "cost_sync.last_successful_reconciliation", updated_by: null },
        { key: "cost_sync.plan_price_unit", updated_by: null },
        { key: "cost_sync.smtp_ip_monthly_cost_usd", updated_by: null },
      ]);
    } finally {
      await res.close();
      await prod.drop();
    }
  });
});
