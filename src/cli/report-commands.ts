import type { Config } from "../config/env.js";
import { attributionRefreshedAt, refreshAttribution } from "../db/attribution.js";
import { isReportName, runReport } from "../db/reports.js";
import { parse } from "./args.js";
import { withSession } from "./session.js";
import { render, type Format } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

/** `report executive|allocation [--json|--csv]`. */
export async function reportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" }, csv: { type: "boolean" } });
  const [name, extra] = positionals;
  if (extra !== undefined || !isReportName(name))
    throw new UsageError("usage: cost-sync report executive|allocation [--json|--csv]");
  if (values.json && values.csv) throw new UsageError("choose one of --json and --csv");
  const format: Format = values.json ? "json" : values.csv ? "csv" : "table";
  return withSession(cfg, async (s) => {
    // Every column as text: exact decimals, no float on the way out.
    const { rows, columns } = await runReport(s.pool, name);
    const text = render(rows, format, columns);
    out.write(text);
    if (format === "table")
      out.write(
        `\n${rows.length} tenant(s); internal cost modelling, not billing. Attribution refreshed ${(await attributionRefreshedAt(s.db))?.toISOString() ?? "never"}.\n`,
      );
    return EXIT.ok;
  });
}

/** `refresh`: recomputes the attribution behind the views (after bulk changes made in SQL). */
export async function refreshCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    const t0 = performance.now();
    await refreshAttribution(s.db);
    out.write(
      `attribution refreshed in ${Math.round(performance.now() - t0)} ms (as of ${(await attributionRefreshedAt(s.db))?.toISOString() ?? "no costs yet"})\n`,
    );
    return EXIT.ok;
  });
}
