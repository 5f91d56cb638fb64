import { ConfigError, loadConfig, type Config } from "../config/env.js";
import { InputError } from "../services/errors.js";
import { advise } from "./advice.js";
import { CLOSE_MONTH_HELP, closeMonthCommand } from "./close-month-command.js";
import { ROLLBACK_HELP, rollbackCommand, VERIFY_HELP, verifyCommand } from "./db-commands.js";
import { EXPLAIN_HELP, explainCommand } from "./explain-command.js";
import { FORECAST_HELP, forecastCommand } from "./forecast-command.js";
import { BUDGET_HELP, budgetCommand } from "./budget-command.js";
import { commandHelp, topHelp, version, wantsHelp } from "./help.js";
import { HOSTWINDS_HELP, hostwindsCommand } from "./hostwinds-commands.js";
import { EXPORT_HELP, exportCommand } from "./export-command.js";
import { INVOICES_HELP, invoicesCommand } from "./invoice-commands.js";
import { MIGRATE_HELP, migrateCommand } from "./migrate-command.js";
import { PRICES_HELP, pricesCommand } from "./prices-command.js";
import { clean } from "./output.js";
import { CONFIG_HELP, configCommand, OVERRIDE_HELP, overrideCommand } from "./money-commands.js";
import { ANOMALIES_HELP, anomaliesCommand } from "./anomalies-command.js";
import { HISTORY_HELP, historyCommand } from "./provenance-commands.js";
import { REFRESH_HELP, refreshCommand, REPORT_HELP, reportCommand } from "./report-commands.js";
import type { CliIo, Commands } from "./spec.js";
import { SAVINGS_HELP, savingsCommand } from "./savings-command.js";
import { STATUS_HELP, statusCommand } from "./status-command.js";
import { didYouMean } from "./suggest.js";
import {
  RECONCILE_HELP,
  reconcileCommand,
  RETRY_HELP,
  retryFailedCommand,
  SYNC_HELP,
  syncCommand,
} from "./sync-commands.js";
import { EXIT, UsageError } from "./usage-error.js";
import { WORKER_HELP, workerCommand } from "./worker-command.js";

export type { Command, CommandSpec, Commands } from "./spec.js";

const DEMO_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** Commands of the development tree (dev/commands.ts): registered by bin/cost-sync.mjs, absent from the production build. */
const DEV_ONLY = ["demo", "simulator"];
/** Commands that run without DATABASE_URL: the demo makes its own database; the others never open one. */
const EMBEDDED_DATABASE = new Set(["demo", "simulator", "hostwinds"]);

const COMMANDS: Commands = {
  migrate: { ...MIGRATE_HELP, run: migrateCommand },
  verify: { ...VERIFY_HELP, run: verifyCommand },
  rollback: { ...ROLLBACK_HELP, run: rollbackCommand },
  worker: { ...WORKER_HELP, run: workerCommand },
  sync: { ...SYNC_HELP, run: syncCommand },
  reconcile: { ...RECONCILE_HELP, run: reconcileCommand },
  status: { ...STATUS_HELP, run: statusCommand },
  "retry-failed": { ...RETRY_HELP, run: retryFailedCommand },
  config: { ...CONFIG_HELP, run: configCommand },
  override: { ...OVERRIDE_HELP, run: overrideCommand },
  refresh: { ...REFRESH_HELP, run: refreshCommand },
  report: { ...REPORT_HELP, run: reportCommand },
  "close-month": { ...CLOSE_MONTH_HELP, run: closeMonthCommand },
  forecast: { ...FORECAST_HELP, run: forecastCommand },
  budget: { ...BUDGET_HELP, run: budgetCommand },
  history: { ...HISTORY_HELP, run: historyCommand },
  explain: { ...EXPLAIN_HELP, run: explainCommand },
  anomalies: { ...ANOMALIES_HELP, run: anomaliesCommand },
  hostwinds: { ...HOSTWINDS_HELP, run: hostwindsCommand },
  prices: { ...PRICES_HELP, run: pricesCommand },
  invoices: { ...INVOICES_HELP, run: invoicesCommand },
  savings: { ...SAVINGS_HELP, run: savingsCommand },
  export: { ...EXPORT_HELP, run: exportCommand },
};

/** The top-level help text (every command with its one line). */
export function usage(commands: Commands = COMMANDS): string {
  return topHelp(commands);
}

interface MainOptions {
  devCommands?: Commands;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  input?: NodeJS.ReadableStream;
  /** The environment the configuration is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs one CLI command and returns its exit code: 0 ok, 1 failure (bad configuration, service
 * unreachable, failed check), 2 bad usage. Help and the version need no configuration.
 */
export async function main(argv: string[], o: MainOptions = {}): Promise<number> {
  const out = o.out ?? process.stdout;
  const io: CliIo = { err: o.err ?? process.stderr, input: o.input ?? process.stdin };
  const commands = { ...COMMANDS, ...o.devCommands };
  const [name, ...args] = argv;
  const early = withoutConfig(commands, { name, args, out, err: io.err });
  if (early !== undefined) return early;
  const command = name === undefined ? undefined : commands[name];
  if (name === undefined || !command) return EXIT.usage; // withoutConfig answered
  let cfg: Config;
  try {
    // The demo runs on an embedded default: its own database on the local server.
    const env = o.env ?? process.env;
    cfg = loadConfig(EMBEDDED_DATABASE.has(name) ? { DATABASE_URL: DEMO_SERVER_URL, ...env } : env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err.write(`cost-sync: ${e.message}\n`);
      return EXIT.failure;
    }
    throw e;
  }
  try {
    return await command.run(cfg, args, out, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`cost-sync ${name}: ${clean(e.message)}\nRun \`cost-sync ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    // The arguments parsed, but the data says no (an unknown or ambiguous tenant name): exit 2 as
    // for any bad argument, without the usage hint, which would not help.
    if (e instanceof InputError) {
      io.err.write(`cost-sync ${name}: ${clean(e.message)}\n`);
      return EXIT.usage;
    }
    io.err.write(
      `cost-sync ${name}: ${clean(advise(e, { databaseUrl: cfg.DATABASE_URL, redisUrl: cfg.REDIS_URL }))}\n`,
    );
    if (cfg.LOG_LEVEL === "debug" || cfg.LOG_LEVEL === "trace") io.err.write(`${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

/**
 * What needs no configuration: help, the version, and the answer to an unknown command. Returns
 * the exit code when it answered, undefined when the command should run.
 */
function withoutConfig(
  commands: Commands,
  o: { name: string | undefined; args: string[]; out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): number | undefined {
  const { name, args, out, err } = o;
  if (name === undefined || name === "--help" || name === "-h" || (name === "help" && args.length === 0)) {
    out.write(topHelp(commands));
    return EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    out.write(`cost-sync ${version()}\n`);
    return EXIT.ok;
  }
  const topic = name === "help" ? args[0] : name;
  const command = topic === undefined ? undefined : commands[topic];
  if (topic === undefined || !command) {
    err.write(unknownCommand(topic ?? "", commands));
    return EXIT.usage;
  }
  // `help sync vps` shows sync's help, as `sync vps --help` does.
  if (name === "help" || wantsHelp(args)) {
    const subName = (name === "help" ? args.slice(1) : args).find((a) => !a.startsWith("-"));
    const sub = subName === undefined ? undefined : command.subcommands?.[subName];
    out.write(sub ? commandHelp(`${topic} ${subName ?? ""}`, sub) : commandHelp(topic, command));
    return EXIT.ok;
  }
  return undefined;
}

function unknownCommand(name: string, commands: Commands): string {
  const what = name.startsWith("-") ? `unknown flag ${clean(name)}` : `unknown command ${JSON.stringify(name)}`;
  const candidates = name.startsWith("-") ? ["--help", "--version"] : [...Object.keys(commands), "help"];
  const devOnly = DEV_ONLY.includes(name) ? ` (it runs from a development checkout: npx cost-sync ${name})` : "";
  return `cost-sync: ${what}${didYouMean(name, candidates)}${devOnly}\nRun \`cost-sync --help\` for the list of commands.\n`;
}
