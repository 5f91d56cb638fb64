import pg from "pg";
import { generateHistory } from "../../dev/history/model.js";
import { writeHistory } from "../../dev/history/write.js";
import { createDb } from "../../src/db/client.js";
import { migrate } from "../../src/migrator/migrate.js";
import { backtest } from "../../src/services/forecast/backtest.js";
import { forecast } from "../../src/services/forecast/forecast-service.js";
import { ADMIN_URL, DB_NAME, type Report, type Settings } from "../context.js";
import { executivePageFigures } from "./executive-page.js";
import { ms, timeRuns } from "../measure.js";

const SECTION = "7 forecast";

/**
 * 7. Forecast and backtest (docs/forecast.md) on a generated 24-month history at the fleet's size, in a
 * database of their own: the history's size, filling the month-end cache once, then a forecast of the
 * fleet, every tenant and every plan (target ≤ 2 s), the 12-month backtest (≤ 10 s), and its accuracy
 * against the targets (MAPE ≤ 5%, better than naive, coverage 8 to 11 months of 12).
 */
export async function forecastSection(s: Settings, report: Report): Promise<void> {
  report.log("7. forecast and backtest on a generated 24-month history");
  const name = `${DB_NAME}_forecast`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const c = new pg.Client({ connectionString: url.toString() });
  try {
    await migrate({ databaseUrl: url.toString(), smtpIpMonthlyCostUsd: "3.00" });
    await c.connect();
    await measure(s, report, c, createDb(pool));
  } finally {
    await c.end();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(s: Settings, report: Report, c: pg.Client, db: ReturnType<typeof createDb>): Promise<void> {
  const add = (metric: string, value: string, target?: string, met?: boolean) =>
    report.add({ section: SECTION, metric, value, target, met });
  const now = new Date();
  const h = generateHistory({ seed: 23, end: new Date(now.getTime() - 3_600_000), months: 24, tenants: s.scale.tenants, vps: Math.round(s.scale.vps * 1.3), ipsPerVps: s.scale.ipsPerVps, sharedEvery: 10, growthPercent: 3, churnPercent: 1 }); // prettier-ignore
  const [writeMs] = await timeRuns(1, () => writeHistory(c, h));
  await c.query(`VACUUM ANALYZE cost_history`);
  await c.query(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
  const size = (await c.query<{ rows: string; size: string }>(
    `SELECT count(*)::text AS rows, pg_size_pretty(pg_total_relation_size('cost_history')) AS size FROM cost_history`,
  )).rows[0]; // prettier-ignore
  add("generated history written", ms(writeMs ?? NaN));
  add("cost_history size", `${size?.rows ?? "?"} rows, ${size?.size ?? "?"}`);
  const [fillMs] = await timeRuns(1, () => forecast(db, { months: 3, now }));
  add("first forecast: 24 month-end figures computed into the cache", ms(fillMs ?? NaN));
  let scopes = 0;
  const [allMs] = await timeRuns(1, async () => (scopes = (await forecast(db, { months: 12, now })).length));
  add(`forecast of the fleet, every tenant and every plan (${String(scopes)} scopes)`, ms(allMs ?? NaN), "≤ 2000 ms", (allMs ?? Infinity) <= 2000); // prettier-ignore
  let b: Awaited<ReturnType<typeof backtest>> | undefined;
  const [btMs] = await timeRuns(1, async () => (b = await backtest(db, { months: 12, now })));
  add("backtest, 12 months", ms(btMs ?? NaN), "≤ 10000 ms", (btMs ?? Infinity) <= 10_000);
  if (!b) return;
  const covered = Math.round(((b.coveragePercent ?? 0) * b.months.length) / 100);
  add("backtest MAPE", `${String(b.mapePercent)} %`, "≤ 5 %", (b.mapePercent ?? Infinity) <= 5);
  add("naive MAPE (same as last month)", `${String(b.naiveMapePercent)} %`, "worse than the forecast", (b.naiveMapePercent ?? 0) > (b.mapePercent ?? Infinity)); // prettier-ignore
  add("coverage p10..p90", `${String(covered)} of ${String(b.months.length)}`, "8 to 11 of 12", covered >= 8 && covered <= 11); // prettier-ignore
  add("bias", `${String(b.biasPercent)} %`);
  await executivePageFigures(report, c, db);
}
