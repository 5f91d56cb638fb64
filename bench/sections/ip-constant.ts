import { setIpConstant } from "../../src/db/writes/settings.js";
import type { WorkerContext } from "../context.js";
import { ms } from "../measure.js";

/** 3. The IP constant changes for every IP: the repricing job's own run time. */
export async function ipConstantSection(ctx: WorkerContext): Promise<void> {
  const { producer, scale, report } = ctx;
  report.log("3. IP constant change");
  await setIpConstant(ctx.db, 525n, "bench");
  const ipJob = await producer.enqueueIpConstantChanged({ reason: "bench: 4.99 -> 5.25" });
  await ipJob.waitUntilFinished(ctx.queueEvents, 10 * 60_000);
  const done = ipJob.id === undefined ? undefined : await producer.queue.getJob(ipJob.id);
  if (done?.finishedOn === undefined || done.processedOn === undefined)
    throw new Error(`IP repricing job ${ipJob.id ?? "(no id)"} has no recorded run time`);
  const ipMs = done.finishedOn - done.processedOn;
  report.add({
    section: "3 IP constant",
    metric: `reprice ${scale.vps * scale.ipsPerVps} IPs (job run time)`,
    value: ms(ipMs),
    target: "≤ 5000 ms",
    met: ipMs <= 5000,
  });
}
