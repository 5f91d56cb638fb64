import { ConfigError, loadConfig, type Config } from "../config/env.js";
import { rollbackCommand, verifyCommand } from "./db-commands.js";
import { migrateCommand } from "./migrate-command.js";
import { configCommand, overrideCommand } from "./money-commands.js";
import { refreshCommand, reportCommand } from "./report-commands.js";
import { statusCommand } from "./status-command.js";
import { reconcileCommand, retryFailedCommand, syncCommand } from "./sync-commands.js";
import { hostwindsCommand } from "./hostwinds-commands.js";
import { EXIT, UsageError } from "./usage-error.js";
import { workerCommand } from "./worker-command.js";

const DEMO_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export type Command = (cfg: Config, args: string[], out: NodeJS.WritableStream) => Promise<number>;
export type Commands = Record<string, { help: string; run: Command }>;

/** Commands of the development tree (dev/commands.ts): registered by bin/cost-sync.mjs, absent from the production build. */
const DEV_ONLY = ["demo", "simulator"];
/** Commands that run without DATABASE_URL: the demo makes its own database; the others never open one. */
const EMBEDDED_DATABASE = new Set(["demo", "simulator", "hostwinds"]);

const COMMANDS: Commands = {
  migrate: {
    help: "apply pending migrations; --check: report what is pending and what to fix, change nothing [--json]",
    run: migrateCommand,
  },
  verify: {
    help: "check objects and data (PASS/WARN/FAIL, offending ids); exit 1 on any FAIL [--json]",
    run: verifyCommand,
  },
  rollback: {
    help: "emergency rollback: --confirm to execute, --drop-columns to also drop cost data",
    run: rollbackCommand,
  },
  worker: { help: "run the worker (jobs, event relay, schedule, ops port) until SIGTERM/SIGINT", run: workerCommand },
  sync: {
    help: "re-enqueue: sync vps|ip <id> [--wait], sync vps <id> --upgrade-to <rid>, sync all [--wait]",
    run: syncCommand,
  },
  reconcile: { help: "enqueue a reconciliation now; --wait prints its summary", run: reconcileCommand },
  status: { help: "queues, failed jobs, unpriced resources, last reconciliation [--json]", run: statusCommand },
  "retry-failed": { help: "move every failed job back to waiting", run: retryFailedCommand },
  config: { help: "config get|set smtp-ip-cost <usd> | plan-price-unit cents|dollars", run: configCommand },
  override: { help: "override vps|ip <id> <usd> | override vps|ip <id> --clear", run: overrideCommand },
  refresh: { help: "recompute the cost attribution behind the executive views", run: refreshCommand },
  report: { help: "report executive|allocation [--json|--csv]", run: reportCommand },
  hostwinds: {
    help: "hostwinds check [--serviceid N] [--save DIR] [--json]: a read-only probe of the live Hostwinds API",
    run: hostwindsCommand,
  },
};

export function usage(commands: Commands = COMMANDS): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return (
    "usage: cost-sync <command> [options]\n\n" +
    Object.entries(commands)
      .map(([k, v]) => `  ${k.padEnd(width)}  ${v.help}`)
      .join("\n") +
    "\n"
  );
}

/**
 * Runs one CLI command and returns its exit code: 0 ok, 1 failure (bad
 * configuration, service unreachable, failed check), 2 bad argument.
 */
export async function main(
  argv: string[],
  o: { devCommands?: Commands; out?: NodeJS.WritableStream; err?: NodeJS.WritableStream } = {},
): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const commands = { ...COMMANDS, ...o.devCommands };
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help") {
    out.write(usage(commands));
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    const devOnly = DEV_ONLY.includes(name) ? ` (it runs from a development checkout: npx cost-sync ${name})` : "";
    err.write(`cost-sync: unknown command "${name}"${devOnly}\n\n${usage(commands)}`);
    return EXIT.usage;
  }
  let cfg: Config;
  try {
    // The demo runs on an embedded default: its own database on the local server.
    cfg = loadConfig(EMBEDDED_DATABASE.has(name) ? { DATABASE_URL: DEMO_SERVER_URL, ...process.env } : process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`cost-sync: ${e.message}\n`);
      return EXIT.failure;
    }
    throw e;
  }
  try {
    return await command.run(cfg, args, out);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err.write(`cost-sync ${name}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
    err.write(`cost-sync ${name}: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}
