import type { Config } from "../config/env.js";
import { migrate } from "../db/schema/migrate.js";
import { planRollback, rollback } from "../db/schema/rollback.js";
import { verify } from "../db/schema/verify.js";
import { parse } from "./args.js";
import { EXIT, UsageError } from "./usage-error.js";

export async function migrateCommand(cfg: Config, out: NodeJS.WritableStream): Promise<number> {
  const r = await migrate({ databaseUrl: cfg.DATABASE_URL, smtpIpMonthlyCostUsd: cfg.SMTP_IP_MONTHLY_COST_USD });
  if (r.applied.length === 0) out.write(`migrate: database is up to date (${r.elapsedMs.toFixed(0)} ms)\n`);
  for (const name of r.applied) out.write(`applied ${name}\n`);
  if (r.applied.length) out.write(`migrate: ${r.applied.length} applied in ${r.elapsedMs.toFixed(0)} ms\n`);
  return EXIT.ok;
}

export async function verifyCommand(cfg: Config, out: NodeJS.WritableStream): Promise<number> {
  const results = await verify(cfg.DATABASE_URL);
  for (const r of results) out.write(`${r.pass ? "PASS" : "FAIL"}  ${r.name}${r.pass ? "" : ` — ${r.detail}`}\n`);
  const failed = results.filter((r) => !r.pass).length;
  out.write(
    failed ? `verify: ${failed} of ${results.length} checks FAILED\n` : `verify: all ${results.length} checks PASS\n`,
  );
  return failed ? EXIT.failure : EXIT.ok;
}

export async function rollbackCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { confirm: { type: "boolean" }, "drop-columns": { type: "boolean" } });
  noArgs(positionals);
  const plan = planRollback(values["drop-columns"] === true);
  if (!values.confirm) {
    out.write("rollback: dry run (add --confirm to execute); would run:\n");
    for (const s of plan.statements) out.write(`  ${s};\n`);
    return EXIT.ok;
  }
  await rollback(cfg.DATABASE_URL, plan);
  out.write(
    `rollback: done (${plan.statements.length} statements). Cost columns ${values["drop-columns"] ? "DROPPED" : "and their data kept"}. Run \`cost-sync migrate\` to restore.\n`,
  );
  return EXIT.ok;
}

export function noArgs(args: string[]): void {
  if (args.length) throw new UsageError(`unexpected argument: ${args[0]}`);
}
