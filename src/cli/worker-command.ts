import type { Config } from "../config/env.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";
import { noArgs } from "./db-commands.js";
import { EXIT } from "./usage-error.js";

/** Runs the worker until SIGTERM/SIGINT, then shuts down gracefully and exits 0. */
export async function workerCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  noArgs(args);
  const log = createLogger(cfg.LOG_LEVEL);
  process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unhandled rejection");
    process.exit(EXIT.failure);
  });
  const rt = await startRuntime(cfg, { logger: log });
  if (rt.opsUrl)
    out.write(
      `cost-sync worker: ops on ${rt.opsUrl} (/healthz, /metrics${cfg.BULL_BOARD_USER ? ", /admin/queues" : ""})\n`,
    );
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
