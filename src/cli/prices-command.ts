import type { Config } from "../config/env.js";
import { lastEventId } from "../jobs/queue-events.js";
import { noArgs, parse } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CliIo, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";
import { waitFor } from "./wait.js";

export const PRICES_HELP = {
  help: "prices watch: compare Hostwinds' catalogue with the last copy now and print the price changes",
  usage: ["prices watch [--json] [--wide]"],
  description:
    "Runs the daily price watch now (a worker runs it; without one it stays queued and this exits 1): the catalogue\n" +
    "compared with the copy kept by the previous watch, each changed plan and cycle with the VPS priced on it and\n" +
    "whether one of them confirmed the new price. The first watch keeps a baseline and reports no change.\n" +
    "--json prints { changes: [{ rid, cycle, oldPrice, newPrice, vpsOnPlan, confirmed }], ... }.",
  flags: { ...JSON_FLAG, ...WIDE_FLAG },
} satisfies CommandHelp;

/** One change as `--json` prints it: exactly these keys. */
interface ChangeJson {
  rid: string;
  cycle: string;
  oldPrice: string;
  newPrice: string;
  vpsOnPlan: number;
  confirmed: boolean | null;
}

interface WatchResult {
  runId: string;
  baseline: boolean;
  prices: number;
  calls: number;
  changes: (ChangeJson & { note: string | null; repriced: number })[];
}

/** `prices watch [--json]`: the price watch on demand, through the worker (its budget, its metrics). */
export async function pricesCommand(
  cfg: Config,
  args: string[],
  out: NodeJS.WritableStream,
  io: CliIo,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "watch") throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}: ${PRICES_HELP.usage[0]}`);
  const { values, positionals } = parse(rest, PRICES_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const producer = await s.producer();
    const since = await lastEventId(producer.queue);
    const job = await producer.enqueuePriceWatch({ trigger: "manual" });
    const what = `price watch job ${job.id ?? "?"}`;
    const [r] = await waitFor(cfg, { producer, jobs: [job], since }, { err: io.err, progress: { kind: "none" }, what });
    if (!r?.ok) {
      const failed = r?.result ?? "no result";
      if (values.json) printJson(out, { failed });
      else out.write(`price watch failed: ${clean(failed)}\n`);
      return EXIT.failure;
    }
    const result = r.result as unknown as WatchResult;
    const changes: ChangeJson[] = result.changes.map(({ rid, cycle, oldPrice, newPrice, vpsOnPlan, confirmed }) => ({
      ...{ rid, cycle, oldPrice, newPrice, vpsOnPlan, confirmed },
    }));
    if (values.json) {
      const verification = result.changes.map(({ rid, cycle, note, repriced }) => ({ rid, cycle, note, repriced }));
      const { runId, baseline, prices, calls } = result;
      printJson(out, { changes, runId, baseline, prices, calls, verification });
      return EXIT.ok;
    }
    out.write(
      result.baseline
        ? `price watch: baseline kept (${String(result.prices)} plan and cycle prices); changes show from the next watch\n`
        : `price watch: ${String(result.changes.length)} catalogue price change(s) among ${String(result.prices)} prices, ${String(result.calls)} Hostwinds call(s)\n`,
    );
    if (result.changes.length > 0) {
      const rows = result.changes.map((c) => ({
        ...c,
        confirmed: c.confirmed === null ? "unknown" : c.confirmed ? "yes" : "no",
        note: c.note ?? "",
      }));
      out.write(render(rows, "table", undefined, { maxWidth: tableWidth(out, values.wide) }));
    }
    return EXIT.ok;
  });
}
