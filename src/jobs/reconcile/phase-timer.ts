import type { Logger } from "../../logger.js";

/** Logs how long each phase of a run took: where a slow run spent its time (the benchmark reads these lines). */
export function phaseTimer(log: Logger, runId: string) {
  let mark = performance.now();
  return {
    phase(name: string) {
      const now = performance.now();
      log.info({ runId, phase: name, ms: Math.round(now - mark) }, "reconciliation phase done");
      mark = now;
    },
  };
}
