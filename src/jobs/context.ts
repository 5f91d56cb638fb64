import type { Job } from "bullmq";
import type { Config } from "../config/env.js";
import type { Db } from "../db/client.js";
import type { HostwindsClient } from "../hostwinds/client.js";
import type { Logger } from "../logger.js";
import type { Analytics } from "../ops/analytics.js";
import type { Metrics } from "../ops/metrics.js";
import type { JobName, JobPayloads, JobResult } from "./definitions.js";
import type { CostSyncProducer } from "./producer.js";

/** Everything a handler may use, built once by the composition root. Handlers never create clients. */
export interface JobContext {
  cfg: Config;
  db: Db;
  hostwinds: HostwindsClient;
  producer: CostSyncProducer;
  metrics: Metrics;
  analytics: Analytics;
  /** How long after a cost change the attribution behind the views is recomputed. */
  attributionRefreshDelayMs: number;
  /** Parallel Hostwinds requests inside one reconciliation chunk. */
  reconcileConcurrency: number;
}

export interface JobDefinition<N extends JobName> {
  name: N;
  handle(ctx: JobContext, data: JobPayloads[N], job: Job, log: Logger): Promise<JobResult>;
}

/** The registry type: one definition per job name, checked at compile time. */
export type JobRegistry = { [N in JobName]: JobDefinition<N> };
