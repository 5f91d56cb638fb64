import type { Config } from "../config/env.js";
import { operatorOf } from "../config/operator.js";
import { markRolledBack } from "../db/schema/apply.js";
import { checkDatabase } from "../db/schema/check/inspect.js";
import { formatReport, reportJson, type Finding } from "../db/schema/check/report.js";
import { MigrateRefusedError, migrate, type MigrateResult } from "../db/schema/migrate.js";
import { MigrationFailedError } from "../db/schema/migration-failure.js";
import { parse } from "./args.js";
import { EXIT, UsageError } from "./usage-error.js";

/**
 * `migrate [--check] [--json] [--mark-rolled-back <name>]`: applies pending migrations after the
 * checks of `--check` (docs/first-deployment.md); `--check` alone changes nothing.
 */
export async function migrateCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, {
    check: { type: "boolean" },
    json: { type: "boolean" },
    "mark-rolled-back": { type: "string" },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0] ?? ""}`);
  const json = values.json === true;
  const rolledBack = values["mark-rolled-back"];
  if (rolledBack !== undefined) {
    if (values.check) throw new UsageError("--check and --mark-rolled-back do not go together");
    if (!/^\d{14}_\w+$/.test(rolledBack)) throw new UsageError(`not a migration name: ${JSON.stringify(rolledBack)}`);
    await markRolledBack(cfg.DATABASE_URL, rolledBack);
    out.write(json ? `${JSON.stringify({ markedRolledBack: rolledBack })}\n` : `marked ${rolledBack} rolled back\n`);
    return EXIT.ok;
  }
  if (values.check) {
    const report = await checkDatabase(cfg.DATABASE_URL);
    out.write(json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : formatReport(report));
    return report.ready ? EXIT.ok : EXIT.failure;
  }
  return applyCommand(cfg, json, out);
}

async function applyCommand(cfg: Config, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  try {
    const r = await migrate({
      databaseUrl: cfg.DATABASE_URL,
      smtpIpMonthlyCostUsd: cfg.SMTP_IP_MONTHLY_COST_USD,
      operator: operatorOf(cfg),
    });
    out.write(json ? `${JSON.stringify(resultJson(r), null, 2)}\n` : formatResult(r));
    return EXIT.ok;
  } catch (err) {
    if (!json) throw err;
    if (err instanceof MigrateRefusedError) out.write(`${JSON.stringify(reportJson(err.report), null, 2)}\n`);
    else if (err instanceof MigrationFailedError) out.write(`${JSON.stringify({ failure: err.failure }, null, 2)}\n`);
    else throw err;
    return EXIT.failure;
  }
}

const warningLine = (f: Finding) =>
  `WARN  [${f.topic}] ${f.column ? `${f.object}.${f.column}` : f.object}: ${f.problem}\n`;

function formatResult(r: MigrateResult): string {
  let text = r.warnings.map(warningLine).join("");
  for (const m of r.markedApplied) text += `marked ${m.name} applied without running it: ${m.why ?? ""}\n`;
  for (const name of r.applied) text += `applied ${name}\n`;
  const ms = r.elapsedMs.toFixed(0);
  return (
    text +
    (r.applied.length
      ? `migrate: ${String(r.applied.length)} applied in ${ms} ms\n`
      : `migrate: database is up to date (${ms} ms)\n`)
  );
}

function resultJson(r: MigrateResult) {
  return {
    applied: r.applied,
    appliedCount: r.applied.length,
    markedApplied: r.markedApplied.map((m) => ({ name: m.name, reason: m.why ?? null })),
    warnings: r.warnings.map((f) => ({
      topic: f.topic,
      object: f.object,
      column: f.column ?? null,
      problem: f.problem,
    })),
    elapsedMs: Math.round(r.elapsedMs),
  };
}
