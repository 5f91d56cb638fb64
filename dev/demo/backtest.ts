import type { SqlRunner } from "../../src/db/client.js";
import { backtest } from "../../src/services/forecast/backtest.js";

/**
 * The demo's last step: `cost-sync forecast backtest` on the demo's own history (docs/forecast.md).
 * A demo database holds a few months at most, so most months have no interval and the note says so.
 */
export async function printBacktest(db: SqlRunner, out: (s: string) => void): Promise<void> {
  const b = await backtest(db, { months: 12 });
  out("\nforecast backtest on the demo's history (cost-sync forecast backtest):\n");
  if (b.months.length === 0) {
    out("  no complete month of history yet\n");
    return;
  }
  for (const m of b.months)
    out(
      `  ${m.month}: actual ${m.actual}, forecast ${m.p50} (p10 ${m.p10 ?? "-"}, p90 ${m.p90 ?? "-"}), naive ${m.naive}\n`,
    );
  const pct = (x: number | null) => (x === null ? "-" : `${x.toFixed(2)}%`);
  out(`  MAPE ${pct(b.mapePercent)} (naive ${pct(b.naiveMapePercent)}), coverage ${pct(b.coveragePercent)}, bias ${pct(b.biasPercent)}\n`); // prettier-ignore
  if (b.months.length < 6) out("  (fewer than 6 complete months: run-rate forecasts, no interval)\n");
}
