import { Redis, type RedisOptions } from "ioredis";
import pg from "pg";
import { Agent } from "undici";
import type { Config } from "./config/env.js";
import { createDb, type Db } from "./db/client.js";
import { HostwindsClient } from "./hostwinds/client.js";
import { RedisRateGate } from "./hostwinds/rate-gate.js";
import type { Logger } from "./logger.js";
import { Resources } from "./resources.js";

/**
 * The one factory of clients: Prisma and its pg pool, plain pg connections, Redis connections and
 * the Hostwinds HTTP agent are made here and nowhere else. Each is registered on the caller's
 * Resources as it opens, so a failing start closes what it opened (docs/architecture.md,
 * "Lifecycle").
 */

/** Prisma over a pg pool the caller can also use directly (reports read column names from it). */
export interface Database {
  db: Db;
  pool: pg.Pool;
}

export function openDatabase(res: Resources, url: string, o: { poolSize: number }): Database {
  const pool = res.add("postgres pool", new pg.Pool({ connectionString: url, max: o.poolSize }), (p) => p.end());
  // Idle clients of a pool can fail (server restart, pg_terminate_backend): the pool drops them.
  pool.on("error", () => undefined);
  const db = res.add("prisma", createDb(pool), (d) => d.$disconnect());
  return { db, pool };
}

/** One dedicated pg connection (LISTEN, an advisory lock, verification). */
export async function openPgClient(res: Resources, url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return res.add("postgres connection", client, (c) => c.end());
}

/** Runs `fn` with a dedicated pg connection, closed afterwards. */
export async function withPgClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const res = new Resources();
  try {
    return await fn(await openPgClient(res, url));
  } finally {
    await res.close();
  }
}

/** A pg pool of its own (the schema engine's adapter, which never ends the pool it is given). */
export function openPgPool(res: Resources, url: string, o: { max: number }): pg.Pool {
  return res.add("postgres pool", new pg.Pool({ connectionString: url, max: o.max }), (p) => p.end());
}

/**
 * Redis roles (BullMQ's production guide): a worker's and a queue's connections block and must
 * never give up a command (`maxRetriesPerRequest: null`); a producer's fails fast instead, so a
 * caller learns at once that nothing was enqueued.
 */
export type RedisRole = "worker" | "queue" | "events" | "producer";

export function openRedis(
  res: Resources,
  url: string,
  role: RedisRole,
  o: { connectTimeoutMs?: number; log?: Logger } = {},
): Redis {
  const options: RedisOptions =
    role === "producer"
      ? {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: o.connectTimeoutMs ?? 3000,
          retryStrategy: () => null,
        }
      : { maxRetriesPerRequest: null, retryStrategy: reconnectBackoff(role, o.log) };
  const redis = res.add(`redis (${role})`, new Redis(url, options), (r) => r.disconnect());
  // Each failed attempt also emits `error`; the backoff above logs once per attempt instead.
  redis.on("error", () => undefined);
  return redis;
}

/**
 * Reconnects with exponential backoff (0.2 s doubling to 30 s) and says so once per attempt: an
 * outage of Redis reads as a handful of lines, not several a second.
 */
function reconnectBackoff(role: RedisRole, log: Logger | undefined) {
  return (attempt: number): number => {
    const delayMs = Math.min(200 * 2 ** Math.min(attempt - 1, 10), 30_000);
    log?.warn({ role, attempt, retryInMs: delayMs }, "redis unreachable; reconnecting");
    return delayMs;
  };
}

/** HOSTWINDS_IP_FAMILY: IPv4 only, IPv6 only, or whichever connects first. */
export type IpFamily = "4" | "6" | "auto";

/**
 * The connect options for a family: `family` restricts the lookup to one (Node's own
 * happy-eyeballs, on by default, is off then); `auto` asks for it explicitly. IPv4 is the default
 * because Hostwinds allow-lists the key by IPv4 address: a host that reaches it over IPv6 is
 * refused with the same "Not Authorized!" as a wrong key (docs/hostwinds-contract.md).
 */
export function hostwindsConnectOptions(family: IpFamily): { family?: 4 | 6; autoSelectFamily: boolean } {
  if (family === "auto") return { autoSelectFamily: true };
  return { family: family === "6" ? 6 : 4, autoSelectFamily: false };
}

/** The keep-alive HTTP agent the Hostwinds client sends through. */
export function openHostwindsAgent(res: Resources, o: { connectTimeoutMs: number; ipFamily: IpFamily }): Agent {
  const connect = { timeout: o.connectTimeoutMs, ...hostwindsConnectOptions(o.ipFamily) };
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, connect });
  return res.add("hostwinds agent", agent, (a) => a.close());
}

/**
 * A Hostwinds client for a one-shot command that spends the workers' shared request budget (the
 * bulk lane, yielding to event syncs), as `savings refresh` does for get_billingcycle_prices. Its
 * Redis connection fails fast: with Redis down the command says so instead of waiting.
 */
export async function openBudgetedHostwinds(
  res: Resources,
  cfg: Pick<
    Config,
    | "REDIS_URL"
    | "QUEUE_PREFIX"
    | "HOSTWINDS_API_URL"
    | "HOSTWINDS_API_KEY"
    | "HOSTWINDS_TIMEOUT_MS"
    | "HOSTWINDS_IP_FAMILY"
    | "HOSTWINDS_REQUESTS_PER_SECOND"
  >,
): Promise<HostwindsClient> {
  let gate: RedisRateGate | undefined;
  if (cfg.HOSTWINDS_REQUESTS_PER_SECOND > 0) {
    const redis = openRedis(res, cfg.REDIS_URL, "producer");
    await new Promise<void>((resolve, reject) => {
      redis.once("ready", () => resolve());
      redis.once("end", () => reject(new Error("Redis unreachable: the shared Hostwinds budget lives there")));
    });
    gate = new RedisRateGate(redis, cfg.QUEUE_PREFIX, cfg.HOSTWINDS_REQUESTS_PER_SECOND).forLane("bulk");
  }
  const dispatcher = openHostwindsAgent(res, {
    connectTimeoutMs: Math.min(cfg.HOSTWINDS_TIMEOUT_MS, 10_000),
    ipFamily: cfg.HOSTWINDS_IP_FAMILY,
  });
  return new HostwindsClient({
    url: cfg.HOSTWINDS_API_URL,
    apiKey: cfg.HOSTWINDS_API_KEY,
    dispatcher,
    timeoutMs: cfg.HOSTWINDS_TIMEOUT_MS,
    gate,
  });
}
