import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { QueueEvents, type Queue } from "bullmq";
import { QUEUE_NAME } from "../../src/jobs/definitions.js";
import { createProducer } from "../../src/jobs/producer.js";
import { openDatabase } from "../../src/infrastructure.js";
import { Resources } from "../../src/resources.js";
import { COMPILED_BIN, spawnWorker } from "../../test/support/worker-process.js";
import { KEY, type BenchContext, type WorkerContext } from "../context.js";

/**
 * Builds and starts the worker as production runs it, with a producer and a queue-events reader
 * on a fresh prefix (`overrides`: environment that differs from the unbudgeted default). `stop()`
 * ends the worker and leaves nothing of the bench's queue in Redis.
 */
export async function startWorker(
  ctx: BenchContext,
  overrides: Record<string, string> = {},
): Promise<{ ctx: WorkerContext; stop(): Promise<void> }> {
  const prefix = `cost-sync-bench-${randomBytes(3).toString("hex")}`;
  const env = {
    DATABASE_URL: ctx.dbUrl,
    HOSTWINDS_API_URL: ctx.sim.url,
    HOSTWINDS_API_KEY: KEY,
    HOSTWINDS_REQUESTS_PER_SECOND: "0",
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "info",
    WORKER_CONCURRENCY: "32",
    RECONCILE_CHUNK_SIZE: "1000",
    RECONCILE_CONCURRENCY: "32",
    // The heap cap the Dockerfile sets too: V8 otherwise grows the heap long before it collects.
    NODE_OPTIONS: "--max-old-space-size=128 --max-semi-space-size=2",
    ...overrides,
  };
  // The worker runs as production runs it: compiled JavaScript, no TypeScript loader.
  const build = spawnSync("npm", ["run", "build"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const worker = await spawnWorker(env, COMPILED_BIN);
  const { pid, stderr } = worker.child;
  if (pid === undefined || !stderr) throw new Error("the worker process has no pid or no piped stderr");
  const phases: string[] = [];
  stderr.on("data", (d: Buffer) => {
    for (const line of d.toString().split("\n")) if (line.includes("reconciliation phase done")) phases.push(line);
  });
  const session = await createProducer({ redisUrl: "redis://127.0.0.1:6379", prefix });
  const { producer } = session;
  // A fresh prefix: from the stream's start, so no event falls before the reader's first block.
  const queueEvents = new QueueEvents(QUEUE_NAME, {
    connection: { host: "127.0.0.1", port: 6379 },
    prefix,
    lastEventId: "0-0",
  });
  await queueEvents.waitUntilReady();
  const dbRes = new Resources();
  const { db } = openDatabase(dbRes, ctx.dbUrl, { poolSize: 2 });
  const quiet = () => untilQueueIdle(producer.queue);
  const guard = endBenchIfWorkerDies(worker);
  const stop = async () => {
    guard.stopping = true;
    worker.child.kill("SIGTERM");
    await worker.exited;
    await queueEvents.close();
    await producer.queue.obliterate({ force: true }).catch(() => undefined); // leave nothing of the bench's queue in Redis
    await session.close();
    await dbRes.close();
  };
  return { ctx: { ...ctx, producer, queueEvents, db, workerPid: pid, phases, quiet }, stop };
}

/**
 * Waits until the queue has nothing active or waiting, and nothing delayed that
 * is due within 5 s (the schedulers always keep their next run delayed).
 */
async function untilQueueIdle(queue: Queue, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts("active", "waiting", "prioritized", "waiting-children");
    const dueSoon = (await queue.getDelayed()).filter(
      (j) => j.timestamp + (j.opts.delay ?? 0) < Date.now() + 5_000,
    ).length;
    if (dueSoon === 0 && Object.values(counts).every((n) => n === 0)) return;
    if (performance.now() > deadline)
      throw new Error(`queue still busy after ${timeoutMs} ms: ${JSON.stringify({ ...counts, dueSoon })}`);
    await sleep(100);
  }
}

/**
 * A worker that dies mid-section (out of memory, say) ends the benchmark at once, with its last
 * words, instead of leaving a section waiting on a job nobody runs.
 */
function endBenchIfWorkerDies(worker: Awaited<ReturnType<typeof spawnWorker>>): { stopping: boolean } {
  const guard = { stopping: false };
  void worker.exited.then((e) => {
    if (guard.stopping) return;
    console.error(
      `bench: the worker exited during a section (${JSON.stringify(e)}):\n${worker.stderr.join("").slice(-3000)}`,
    );
    process.exit(1);
  });
  return guard;
}
