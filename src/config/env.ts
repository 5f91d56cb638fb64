import { z } from "zod";
import {
  cron,
  httpUrl,
  intIn,
  ipCostUsd,
  isPlainHttpAway,
  MAX_TIMER_MS,
  operatorName,
  optional,
  usdUpTo,
} from "./fields.js";

/** The documented Hostwinds endpoint (docs/hostwinds-contract.md). */
const DEFAULT_HOSTWINDS_API_URL = "https://clients.hostwinds.com/cloud/api.php";

const envSchema = z.object({
  DATABASE_URL: optional(
    z
      .string({ error: "is required (a postgresql:// URL)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  ),
  REDIS_URL: optional(
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .default("redis://127.0.0.1:6379"),
  ),
  HOSTWINDS_API_URL: optional(httpUrl().default(DEFAULT_HOSTWINDS_API_URL)),
  HOSTWINDS_API_KEY: optional(z.string().min(8, "is too short to be a Hostwinds key").optional()),
  /** 0 turns the shared budget off (benchmarks, simulators); Hostwinds itself should never see that. */
  HOSTWINDS_REQUESTS_PER_SECOND: optional(intIn(0, 1000).default(2)),
  HOSTWINDS_TIMEOUT_MS: optional(intIn(100, 600_000).default(15_000)),
  HOSTWINDS_MAX_RETRIES: optional(intIn(0, 10).default(3)),
  /** How long workers share one copy of the price catalogue (a reconciliation always fetches a fresh one). */
  HOSTWINDS_CATALOGUE_TTL_SECONDS: optional(intIn(60, 86_400).default(3600)),
  /** Share of each plan group a reconciliation verifies one by one against the catalogue (at least one member). */
  HOSTWINDS_VERIFY_SAMPLE_PERCENT: optional(intIn(0, 100).default(1)),
  /** How long a learned plan mapping prices event syncs without a second call (the monthly reconciliation relearns it). */
  HOSTWINDS_PLAN_MAX_AGE_SECONDS: optional(intIn(60, 7_776_000).default(3_024_000)),
  /**
   * The address family the Hostwinds agent connects with. 4 by default: the key is allow-listed by
   * IPv4 address, and a host that resolves and connects over IPv6 first is refused "Not Authorized!".
   */
  HOSTWINDS_IP_FAMILY: optional(
    z
      .enum(["4", "6", "auto"], {
        error: "must be 4 (IPv4 only, the default: the key's allow-list holds IPv4 addresses), 6 or auto",
      })
      .default("4"),
  ),
  SMTP_IP_MONTHLY_COST_USD: optional(ipCostUsd().default("4.99")),
  QUEUE_PREFIX: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "may hold only letters, digits, _ and -")
      .default("cost-sync"),
  ),
  RECONCILE_CRON: optional(cron().default("0 3 1 * *")),
  RECONCILE_CHUNK_SIZE: optional(intIn(1, 10_000).default(500)),
  RECONCILE_CONCURRENCY: optional(intIn(1, 256).default(16)),
  /** Transactions side by side when every IP is repriced (a change of the IP constant); about the database's core count. */
  IP_REPRICE_PARALLELISM: optional(intIn(1, 32).default(2)),
  ANOMALY_THRESHOLD_PERCENT: optional(intIn(1, 10_000).default(20)),
  /** cost_anomalies.change_usd is numeric(10,2). */
  ANOMALY_THRESHOLD_USD: optional(usdUpTo(99_999_999n, "what cost_anomalies.change_usd holds").default("10.00")),
  /** Days without an active, warming or scheduled assignment after which an IP (or a VPS whose IPs all are) counts as idle (docs/savings.md). */
  SAVINGS_IDLE_DAYS: optional(intIn(1, 3650).default(14)),
  /** Who is at the command line: recorded with settings, overrides and IP-constant changes; else the OS user. */
  COST_SYNC_OPERATOR: optional(operatorName().optional()),
  WORKER_CONCURRENCY: optional(intIn(1, 200).default(8)),
  SHUTDOWN_TIMEOUT_MS: optional(intIn(1000, MAX_TIMER_MS).default(30_000)),
  /** Also the stalled-job check's interval: past an hour a crashed worker's job waits too long, below a second Redis is polled too often. */
  WORKER_LOCK_DURATION_MS: optional(intIn(1000, 3_600_000).default(30_000)),
  OPS_PORT: optional(intIn(0, 65_535).default(9464)),
  OPS_HOST: optional(z.string().default("127.0.0.1")),
  BULL_BOARD_USER: optional(z.string().optional()),
  BULL_BOARD_PASSWORD: optional(z.string().min(8, "must be at least 8 characters").optional()),
  POSTHOG_API_KEY: optional(z.string().optional()),
  POSTHOG_HOST: optional(httpUrl().optional()),
  /** Allows plain http to a non-loopback HOSTWINDS_API_URL or POSTHOG_HOST (a proxy on a trusted network). */
  ALLOW_PLAIN_HTTP: optional(z.stringbool().default(false)),
  /**
   * Where the weekly digest is posted (Slack-compatible incoming webhook: `{"text": ...}`); unset, no
   * digest is scheduled. It holds a token: never logged.
   */
  DIGEST_WEBHOOK_URL: optional(httpUrl().optional()),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: { variable: string; message: string }[]) {
    super("invalid configuration:\n" + problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n"));
  }
}

/**
 * Parses the environment once. Every offending variable is named with the
 * reason, never with its value (some are secrets). The result is frozen.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      variable: String(i.path[0] ?? "(environment)"),
      message: i.message,
    }));
    throw new ConfigError(problems);
  }
  const cfg = parsed.data;
  const problems = crossChecks(cfg);
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(cfg);
}

/** Rules that involve more than one variable. */
function crossChecks(cfg: z.infer<typeof envSchema>): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (Boolean(cfg.BULL_BOARD_USER) !== Boolean(cfg.BULL_BOARD_PASSWORD)) {
    problems.push({
      variable: "BULL_BOARD_USER/BULL_BOARD_PASSWORD",
      message: "set both to enable the queue UI, or neither",
    });
  }
  for (const variable of ["HOSTWINDS_API_URL", "POSTHOG_HOST", "DIGEST_WEBHOOK_URL"] as const) {
    const url = cfg[variable];
    if (url && isPlainHttpAway(url) && !cfg.ALLOW_PLAIN_HTTP) {
      problems.push({
        variable,
        message: "must use https outside loopback (set ALLOW_PLAIN_HTTP=true to allow plain http)",
      });
    }
  }
  return problems;
}
