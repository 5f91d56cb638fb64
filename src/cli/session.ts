import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Config } from "../config/env.js";
import type { Db } from "../db/client.js";
import { operatorOf } from "../operator.js";
import { createCommandRepositories, type CommandRepositories } from "../db/command-repositories.js";
import { openBudgetedHostwinds, openDatabase } from "../infrastructure.js";
import { createProducer, type CostSyncProducer } from "../jobs/producer.js";
import { Resources } from "../resources.js";
import { createSavingsService, type SavingsService } from "../services/savings/service.js";
import { resolveTenant } from "../services/tenants/resolve-tenant.js";

/**
 * What a one-shot CLI command opens, from the same factory as the worker: the database and, only
 * if it needs to enqueue, a fail-fast producer. Everything is closed by `close()`.
 */
export class CliSession {
  readonly #res = new Resources();
  readonly db: Db;
  /** The pg pool under Prisma, for reports (which read their column names from the result). */
  readonly pool: pg.Pool;
  /** What the use cases (src/services) read and write, bound to this session's database. */
  readonly repos: CommandRepositories;
  /** Job id recorded in cost_history for changes made directly by this command. */
  readonly changeId = `cli-${randomUUID()}`;
  #producer: Promise<CostSyncProducer> | undefined;

  constructor(readonly cfg: Config) {
    ({ db: this.db, pool: this.pool } = openDatabase(this.#res, cfg.DATABASE_URL, { poolSize: 2 }));
    this.repos = createCommandRepositories(this.db);
  }

  producer(): Promise<CostSyncProducer> {
    this.#producer ??= createProducer({ redisUrl: this.cfg.REDIS_URL, prefix: this.cfg.QUEUE_PREFIX }).then((p) => {
      this.#res.add("producer", p, (x) => x.close());
      return p.producer;
    });
    return this.#producer;
  }

  /** The savings use cases; Hostwinds (the workers' shared budget) is opened only when a refresh needs it. */
  savings(): SavingsService {
    const cfg = this.cfg;
    let hostwinds: ReturnType<typeof openBudgetedHostwinds> | undefined;
    return createSavingsService({
      db: this.db,
      hostwinds: () => (hostwinds ??= openBudgetedHostwinds(this.#res, cfg)),
      idleDays: cfg.SAVINGS_IDLE_DAYS,
      operator: operatorOf(cfg),
      concurrency: cfg.RECONCILE_CONCURRENCY,
      resolveTenant: (text) => resolveTenant(this.db, text),
    });
  }

  async close(): Promise<void> {
    await this.#producer?.catch(() => undefined);
    await this.#res.close();
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
