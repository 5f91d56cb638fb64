import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { markRolledBack } from "../migrator/apply.js";
import { checkDatabase } from "../migrator/check/inspect.js";
import { formatReport, reportJson, type Finding } from "../migrator/check/report.js";
import { MigrateRefusedError, migrate, type MigrateResult } from "../migrator/migrate.js";
import { MigrationFailedError } from "../migrator/migration-failure.js";
import { noArgs, parse } from "./args.js";
import { printJson } from "./output.js";
import { JSON_FLAG, type CliIo, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const MIGRATE_HELP = {
  help: "apply pending migrations; --check reports what is pending and what to fix, changing nothing",
  usage: ["migrate [--check] [--json]", "migrate --mark-rolled-back <name>"],
  description:
    "Checks the database first (docs/first-deployment.md) and refuses before writing anything when it is not\n" +
    "ready, naming each problem and its fix; then applies the pending migrations of prisma/migrations under an\n" +
    "advisory lock and prints what it applied.",
  flags: {
    check: { type: "boolean", help: "report what is pending and what to fix; change nothing (exit 1 when not ready)" },
    "mark-rolled-back": {
      type: "string",
      value: "<name>",
      help: "record a failed migration as rolled back once its changes are undone by hand",
    },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/**
 * `migrate [--check] [--json] [--mark-rolled-back <name>]`: applies pending migrations after the
 * checks of `--check` (docs/first-deployment.md); `--check` alone changes nothing.
 */
export async function migrateCommand(
  cfg: Config,
  args: string[],
  out: NodeJS.WritableStream,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parse(args, MIGRATE_HELP.flags);
  noArgs(positionals);
  const json = values.json === true;
  const rolledBack = values["mark-rolled-back"];
  if (rolledBack !== undefined) {
    if (values.check) throw new UsageError("--check and --mark-rolled-back do not go together");
    if (!/^\d{14}_\w+$/.test(rolledBack)) throw new UsageError(`not a migration name: ${JSON.stringify(rolledBack)}`);
    await markRolledBack(cfg.DATABASE_URL, rolledBack);
    if (json) printJson(out, { markedRolledBack: rolledBack });
    else out.write(`marked ${rolledBack} rolled back\n`);
    return EXIT.ok;
  }
  if (values.check) {
    const report = await checkDatabase(cfg.DATABASE_URL);
    if (json) printJson(out, reportJson(report));
    else out.write(formatReport(report));
    return report.ready ? EXIT.ok : EXIT.failure;
  }
  return applyCommand(cfg, json, { out, err: io.err });
}

async function applyCommand(
  cfg: Config,
  json: boolean,
  { out, err: errOut }: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  try {
    const r = await migrate({
      databaseUrl: cfg.DATABASE_URL,
      smtpIpMonthlyCostUsd: cfg.SMTP_IP_MONTHLY_COST_USD,
      operator: operatorOf(cfg),
    });
    if (json) printJson(out, resultJson(r));
    else out.write(formatResult(r));
    return EXIT.ok;
  } catch (err) {
    // A refusal or a failed script is the report the operator acts on: printed whole, not as one line of advice.
    if (!(err instanceof MigrateRefusedError || err instanceof MigrationFailedError)) throw err;
    if (!json) errOut.write(`cost-sync migrate: ${err.message}\n`);
    else if (err instanceof MigrateRefusedError) printJson(out, reportJson(err.report));
    else printJson(out, { failure: err.failure });
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
