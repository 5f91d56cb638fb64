import type { Config } from "../config/env.js";
import { createLogger } from "../logger.js";
import { opsStartupLine } from "../ops/endpoints.js";
import { startRuntime } from "../runtime.js";
import { noArgs, parse } from "./args.js";
import type { CommandHelp } from "./spec.js";
import { EXIT } from "./usage-error.js";

export const WORKER_HELP = {
  help: "run the worker (jobs, event relay, schedule, ops port) until SIGTERM/SIGINT",
  usage: ["worker"],
  description:
    "Needs HOSTWINDS_API_KEY unless HOSTWINDS_API_URL is a loopback simulator. SIGTERM/SIGINT: finish active\n" +
    "jobs (up to SHUTDOWN_TIMEOUT_MS), close, exit 0. Logs are JSON, or readable lines on a terminal in a\n" +
    "development checkout.",
  flags: {},
} satisfies CommandHelp;

/** Runs the worker until SIGTERM/SIGINT, then shuts down gracefully and exits 0. */
export async function workerCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  noArgs(parse(args, WORKER_HELP.flags).positionals);
  const log = createLogger(cfg.LOG_LEVEL);
  process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unhandled rejection");
    process.exit(EXIT.failure);
  });
  // Printed as soon as the port listens: when Redis is down the worker waits for it, and /healthz says so meanwhile.
  const boardOn = Boolean(cfg.BULL_BOARD_USER && cfg.BULL_BOARD_PASSWORD);
  const onOpsListening = (url: string) => out.write(`${opsStartupLine(url, boardOn)}\n`);
  const rt = await startRuntime(cfg, { logger: log, onOpsListening });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "signal received");
      void rt.close().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  return EXIT.ok;
}
