import type { QueueEvents } from "bullmq";
import type pg from "pg";
import type { HostwindsSimulator } from "../dev/simulator/server.js";
import type { Db } from "../src/db/client.js";
import type { CostSyncProducer } from "../src/jobs/producer.js";
import type { Scale } from "./fleet.js";
import type { Figure } from "./measure.js";

/** The size of a run: full scale, or a tenth of it with `--quick`. */
export interface Settings {
  quick: boolean;
  scale: Scale;
  /** VPS synced the naive way (one job per resource). */
  naiveVps: number;
  /** Inserts whose event latency is measured. */
  latencyInserts: number;
}

export const KEY = "bench-key-not-secret-123";
export const ADMIN_URL = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
/** Per run: two benchmarks on one server (a developer's and CI's) must not drop each other's database. */
export const DB_NAME = `cost_sync_bench_${String(process.pid)}`;

export function settings(quick: boolean): Settings {
  return {
    quick,
    scale: quick
      ? { tenants: 1_000, vps: 10_000, ipsPerVps: 3, assignmentsPerIp: 2, payments: 100_000, analyticsPerTenant: 60 }
      : {
          tenants: 10_000,
          vps: 100_000,
          ipsPerVps: 3,
          assignmentsPerIp: 2,
          payments: 1_000_000,
          analyticsPerTenant: 60,
        },
    naiveVps: quick ? 1_000 : 10_000,
    latencyInserts: quick ? 200 : 1_000,
  };
}

/** Where every figure goes: printed as it is measured, and kept for the table at the end. */
export interface Report {
  readonly figures: Figure[];
  add(f: Figure): void;
  log(s: string): void;
}

export function createReport(): Report {
  const figures: Figure[] = [];
  const log = (s: string) => process.stdout.write(`${s}\n`);
  return {
    figures,
    log,
    add(f) {
      figures.push(f);
      process.stdout.write(
        `  ${f.section}: ${f.metric} = ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? "met" : "NOT MET"})` : ""}\n`,
      );
    },
  };
}

/** What every section shares: the run's size, the database and simulator set up for it, the report. */
export interface BenchContext extends Settings {
  report: Report;
  /** The benchmark's own database. */
  dbUrl: string;
  /** A direct connection to it, for seeding and for figures read in SQL. */
  c: pg.Client;
  sim: HostwindsSimulator;
}

/** With the worker running (sections 1 to 4). */
export interface WorkerContext extends BenchContext {
  producer: CostSyncProducer;
  queueEvents: QueueEvents;
  db: Db;
  workerPid: number;
  /** The worker's "reconciliation phase done" log lines (JSON), as they arrive. */
  phases: string[];
  /** Waits for a quiet queue, so that one section's follow-up work is not timed with the next. */
  quiet(): Promise<void>;
}
