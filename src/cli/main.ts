import { ConfigError, loadConfig, type Config } from "../config/env.js";
import { migrateCommand, noArgs, rollbackCommand, verifyCommand } from "./db-commands.js";
import { EXIT, UsageError } from "./usage-error.js";

type Command = (cfg: Config, args: string[], out: NodeJS.WritableStream) => Promise<number>;

const COMMANDS: Record<string, { help: string; run: Command }> = {
  migrate: { help: "apply pending database migrations", run: (c, a, o) => (noArgs(a), migrateCommand(c, o)) },
  verify: { help: "check columns, constraints, indexes, views; exit 1 on any FAIL", run: (c, a, o) => (noArgs(a), verifyCommand(c, o)) },
  rollback: { help: "emergency rollback: --confirm to execute, --drop-columns to also drop cost data", run: rollbackCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return (
    "usage: cost-sync <command> [options]\n\n" +
    Object.entries(COMMANDS)
      .map(([k, v]) => `  ${k.padEnd(width)}  ${v.help}`)
      .join("\n") +
    "\n"
  );
}

/**
 * Runs one CLI command and returns its exit code: 0 ok, 1 failure (bad
 * configuration, service unreachable, failed check), 2 bad argument.
 */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help") {
    out.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    err.write(`cost-sync: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  let cfg: Config;
  try {
    cfg = loadConfig();
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
