import { randomUUID } from "node:crypto";
import type { Config } from "../config/env.js";
import { createDb, type Db } from "../db/client.js";
import { createProducer, type CostSyncProducer } from "../jobs/producer.js";

/**
 * What a one-shot CLI command opens: the database and, only if it needs to
 * enqueue, a fail-fast producer. Everything is closed by `close()`.
 */
export class CliSession {
  readonly db: Db;
  /** Job id recorded in cost_history for changes made directly by this command. */
  readonly changeId = `cli-${randomUUID()}`;
  #producer: Awaited<ReturnType<typeof createProducer>> | undefined;

  constructor(readonly cfg: Config) {
    this.db = createDb(cfg.DATABASE_URL, 2);
  }

  async producer(): Promise<CostSyncProducer> {
    this.#producer ??= await createProducer({ redisUrl: this.cfg.REDIS_URL, prefix: this.cfg.QUEUE_PREFIX });
    return this.#producer.producer;
  }

  async close(): Promise<void> {
    await this.#producer?.close();
    await this.db.$disconnect();
  }
}

export async function withSession<T>(cfg: Config, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const s = new CliSession(cfg);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
