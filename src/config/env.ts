import { z } from "zod";

/** The documented Hostwinds endpoint (../shared/docs/hostwinds-api.md). */
export const DEFAULT_HOSTWINDS_API_URL = "https://clients.hostwinds.com/cloud/api.php";

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

/** A positive USD amount with at most two decimals, kept as its exact string. */
export const usdAmountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,6}(\.\d{1,2})?$/, "must be a non-negative USD amount with at most two decimals, e.g. 4.99");

const cronSchema = z
  .string()
  .trim()
  .refine(
    (s) => s.split(/\s+/).length === 5 || s.split(/\s+/).length === 6,
    "must be a cron expression of 5 or 6 fields",
  );

const positiveInt = () =>
  z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be greater than 0");

export const envSchema = z.object({
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
  HOSTWINDS_API_URL: optional(z.url({ error: "must be an http(s) URL" }).default(DEFAULT_HOSTWINDS_API_URL)),
  HOSTWINDS_API_KEY: optional(z.string().min(8, "is too short to be a Hostwinds key").optional()),
  /** 0 turns the shared budget off (benchmarks, simulators); Hostwinds itself should never see that. */
  HOSTWINDS_REQUESTS_PER_SECOND: optional(
    z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0).max(1000).default(2),
  ),
  HOSTWINDS_TIMEOUT_MS: optional(positiveInt().default(15_000)),
  HOSTWINDS_MAX_RETRIES: optional(z.coerce.number().int().min(0).max(10).default(3)),
  SMTP_IP_MONTHLY_COST_USD: optional(usdAmountSchema.default("4.99")),
  QUEUE_PREFIX: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "may hold only letters, digits, _ and -")
      .default("cost-sync"),
  ),
  RECONCILE_CRON: optional(cronSchema.default("0 3 1 * *")),
  RECONCILE_CHUNK_SIZE: optional(positiveInt().max(10_000).default(500)),
  RECONCILE_CONCURRENCY: optional(positiveInt().max(256).default(16)),
  /** Transactions side by side when every IP is repriced (a change of the IP constant); about the database's core count. */
  IP_REPRICE_PARALLELISM: optional(positiveInt().max(32).default(2)),
  ANOMALY_THRESHOLD_PERCENT: optional(z.coerce.number().positive().default(20)),
  ANOMALY_THRESHOLD_USD: optional(usdAmountSchema.default("10.00")),
  WORKER_CONCURRENCY: optional(positiveInt().max(200).default(8)),
  SHUTDOWN_TIMEOUT_MS: optional(positiveInt().default(30_000)),
  WORKER_LOCK_DURATION_MS: optional(positiveInt().min(1000).default(30_000)),
  OPS_PORT: optional(z.coerce.number().int().min(0).max(65535).default(9464)),
  OPS_HOST: optional(z.string().default("127.0.0.1")),
  BULL_BOARD_USER: optional(z.string().optional()),
  BULL_BOARD_PASSWORD: optional(z.string().min(8, "must be at least 8 characters").optional()),
  POSTHOG_API_KEY: optional(z.string().optional()),
  POSTHOG_HOST: optional(z.url().optional()),
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
  if (Boolean(cfg.BULL_BOARD_USER) !== Boolean(cfg.BULL_BOARD_PASSWORD)) {
    throw new ConfigError([
      { variable: "BULL_BOARD_USER/BULL_BOARD_PASSWORD", message: "set both to enable the queue UI, or neither" },
    ]);
  }
  return Object.freeze(cfg);
}
