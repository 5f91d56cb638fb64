import type { Config } from "../config/env.js";
import { HostwindsClient, type Exchange } from "../hostwinds/client.js";
import { LocalRateGate } from "../hostwinds/rate-gate.js";
import { openHostwindsAgent } from "../infrastructure.js";
import { Resources } from "../resources.js";
import { requireHostwindsKey } from "../runtime.js";
import { noArgs, parse, serviceIdArg } from "./args.js";
import { saveAnswers } from "./hostwinds-save.js";
import { PASSING, probeHostwinds, type ProbeReport } from "./hostwinds-probe.js";
import { printJson } from "./output.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

export const HOSTWINDS_HELP = {
  help: "hostwinds check: a read-only probe of the live Hostwinds API (exit 1 if an answer was not understood)",
  usage: ["hostwinds check [--serviceid N] [--save DIR] [--json]"],
  description:
    "Sends each read-only action the worker uses (never a mutating one) with HOSTWINDS_API_KEY and says whether\n" +
    "every answer was understood, naming what was not (docs/hostwinds-client.md). --save writes the answers,\n" +
    "the key removed, for `npx cost-sync simulator --replay DIR` and the tests.",
  flags: {
    serviceid: { type: "string", value: "N", help: "also probe the per-instance actions on this serviceid" },
    save: { type: "string", value: "DIR", help: "save every answer (the key removed) to DIR" },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/**
 * `hostwinds check [--serviceid N] [--save DIR] [--json]`: a live, read-only probe of the
 * Hostwinds contract (docs/hostwinds-client.md). Exit 0 when every answer was understood, 1
 * otherwise (a refused key included); never a mutating action (the client's allow-list), never
 * the key in what it prints or saves.
 */
export async function hostwindsCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "check")
    throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}: ${HOSTWINDS_HELP.usage[0]}`);
  const { values, positionals } = parse(rest, HOSTWINDS_HELP.flags);
  noArgs(positionals);
  const serviceid = values.serviceid === undefined ? undefined : serviceIdArg(values.serviceid);
  if (values.save === "") throw new UsageError("--save needs a directory");
  requireHostwindsKey(cfg);
  const log = { answers: [] as Exchange[] };
  const res = new Resources();
  let report: ProbeReport;
  try {
    report = await probeHostwinds(openClient(res, cfg, log.answers), log, { serviceid });
  } finally {
    await res.close();
  }
  const saved = values.save === undefined ? null : await saveAnswers(values.save, log.answers, cfg.HOSTWINDS_API_KEY);
  if (values.json) printJson(out, { url: cfg.HOSTWINDS_API_URL, ...report, saved });
  else printReport(cfg, { report, saved }, out);
  return report.understood ? EXIT.ok : EXIT.failure;
}

/**
 * The client as a one-shot command uses it: the factory's agent (HOSTWINDS_IP_FAMILY applied), the
 * client's own retries (HOSTWINDS_MAX_RETRIES: no job layer here), a local request budget, and
 * every answer shown to `answers` for the report and `--save`.
 */
function openClient(res: Resources, cfg: Config, answers: Exchange[]): HostwindsClient {
  const dispatcher = openHostwindsAgent(res, {
    connectTimeoutMs: Math.min(cfg.HOSTWINDS_TIMEOUT_MS, 10_000),
    ipFamily: cfg.HOSTWINDS_IP_FAMILY,
  });
  return new HostwindsClient({
    url: cfg.HOSTWINDS_API_URL,
    apiKey: cfg.HOSTWINDS_API_KEY,
    dispatcher,
    timeoutMs: cfg.HOSTWINDS_TIMEOUT_MS,
    retry: { maxRetries: cfg.HOSTWINDS_MAX_RETRIES },
    gate: cfg.HOSTWINDS_REQUESTS_PER_SECOND > 0 ? new LocalRateGate(cfg.HOSTWINDS_REQUESTS_PER_SECOND) : undefined,
    onAnswer: (exchange) => answers.push(exchange),
  });
}

function printReport(
  cfg: Config,
  o: { report: ProbeReport; saved: { dir: string; files: string[] } | null },
  out: NodeJS.WritableStream,
): void {
  const { report, saved } = o;
  out.write(`Hostwinds contract check against ${cfg.HOSTWINDS_API_URL}\n`);
  out.write(
    report.serviceid
      ? `serviceid ${report.serviceid.value} (${report.serviceid.from})\n\n`
      : "no serviceid: the actions about one instance were skipped\n\n",
  );
  out.write(
    render(
      report.rows.map((r) => ({ ...r, understood: r.understood ? "yes" : "no" })),
      "table",
    ),
  );
  const p = report.pricing;
  if (p)
    out.write(
      p.outcome === "priced"
        ? `\npricing: serviceid ${p.serviceid} would cost ${p.monthlyUsd ?? "?"} USD/month (${p.source ?? ""})\n`
        : `\npricing: serviceid ${p.serviceid} would be unpriced: ${p.reason ?? ""}\n`,
    );
  if (report.authFailure) out.write(`\n${report.authFailure}\n`);
  if (saved) out.write(`\nsaved ${saved.files.length} file(s) to ${saved.dir}\n`);
  const failing = report.rows.filter((r) => !PASSING.has(r.verdict)).length;
  out.write(
    report.understood
      ? "\nevery answer understood\n"
      : `\n${failing} of ${report.rows.length} answer(s) partial, refused, failed or not understood\n`,
  );
}
