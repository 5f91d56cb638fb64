import type { Config } from "../config/env.js";
import { describeAuthFailure } from "../hostwinds/auth-record.js";
import { noArgs, parse } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { cappedCount, type CappedList } from "../capped-list.js";
import { gatherStatus, type StatusReport } from "./status-data.js";
import { recordLines } from "./record.js";
import { render } from "./table.js";
import { printUntrackedFigures, printUntrackedLists } from "./untracked-status.js";
import { EXIT } from "./usage-error.js";

export const STATUS_HELP = {
  help: "queues, workers, failed jobs, unpriced VPS, reconciliation, IP constant [--json]",
  usage: ["status [--json] [--wide]"],
  description:
    "Reads Redis (queue counts, workers, failed jobs, the schedule, the last time Hostwinds refused the key) and\n" +
    "PostgreSQL (unpriced VPS, duplicate service ids, the last reconciliation and its catalogue mismatches, the\n" +
    "IP constant, the views' freshness, untracked Hostwinds spend and ghost rows). Each list shows its first 50\n" +
    "rows and its total. Exit 1 when Redis or PostgreSQL is unreachable (it says which), 0 otherwise.",
  flags: { ...JSON_FLAG, ...WIDE_FLAG },
} satisfies CommandHelp;

/** `status [--json] [--wide]`: queues, failures, unpriced resources, reconciliation freshness. */
export async function statusCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, STATUS_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const report = await gatherStatus(s);
    if (values.json) printJson(out, report);
    else printStatus(report, out, tableWidth(out, values.wide));
    return report.postgres.ok && report.redis.ok ? EXIT.ok : EXIT.failure;
  });
}

const when = (d: Date | null | undefined, none: string) => (d ? d.toISOString() : none);

function printStatus(report: StatusReport, out: NodeJS.WritableStream, maxWidth: number | undefined): void {
  const w = (line: string) => out.write(`${clean(line)}\n`);
  const { postgres, redis, queue, workers, lastSuccessfulReconciliation: last } = report;
  w(`PostgreSQL: ${postgres.ok ? "ok" : `FAILED — ${postgres.error}`}`);
  const counts = Object.entries(queue ?? {}).map(([k, v]) => `${k} ${v}`);
  w(`Redis: ${redis.ok ? `ok; queue ${counts.join(", ")}; workers ${workers ?? 0}` : `FAILED — ${redis.error}`}`);
  if (postgres.ok) {
    w(`IP constant: ${report.ipConstantUsd ?? "?"} USD/month`);
    w(
      `last successful reconciliation: ${last ? `${last.completedAt.toISOString()} (${last.ageHours.toFixed(1)} h ago, run ${last.runId})` : "never"}`,
    );
    w(`cost attribution (views) refreshed: ${when(report.attributionRefreshedAt, "never")}`);
    printUntrackedFigures(report.untracked, out);
    w(`price watch: ${priceWatchLine(report.priceWatch)}`);
  }
  if (redis.ok) {
    w(`next scheduled reconciliation: ${report.nextReconciliation ?? "not scheduled (no worker has started yet)"}`);
    const refused = report.hostwindsKeyRefused;
    w(`Hostwinds key: ${refused ? `REFUSED — ${describeAuthFailure(refused)}` : "no refusal recorded"}`);
  }
  // One run: key: value lines, not a table 22 columns wide.
  if (report.latestRun) out.write(`\nlatest run:\n${recordLines(report.latestRun)}`);
  list(out, "failed jobs", report.failedJobs, maxWidth);
  list(out, "unpriced VPS", report.unpriced, maxWidth);
  printBudgetsAtRisk(out, report, maxWidth);
  if (report.catalogueMismatches?.total)
    list(
      out,
      "catalogue mismatches in the latest run (their groups priced one by one)",
      report.catalogueMismatches,
      maxWidth,
    );
  printUntrackedLists(report.untracked, out, maxWidth);
  printPriceChanges(report, out, maxWidth);
  const dup = report.duplicateServiceIds;
  if (dup && dup.total > 0) {
    const rows = dup.shown.map((d) => ({
      serviceid: d.serviceid,
      storedAs: d.storedAs.join(" "),
      vpsIds: d.vpsIds.join(" "),
    }));
    out.write(`\nduplicate Hostwinds service ids: a data problem, one instance named by several VPS rows`);
    list(out, "", { total: dup.total, shown: rows }, maxWidth);
  }
}

/** A capped list under its heading: "unpriced VPS (50 of 312)". */
function printBudgetsAtRisk(out: NodeJS.WritableStream, report: StatusReport, maxWidth: number | undefined): void {
  if (report.budgetsAtRisk?.total) list(out, "budgets at risk or over this month (budget list)", report.budgetsAtRisk, maxWidth); // prettier-ignore
}

function list(
  out: NodeJS.WritableStream,
  title: string,
  l: CappedList<object> | null,
  maxWidth: number | undefined,
): void {
  if (!l) return;
  const count = cappedCount(l);
  const rows = l.shown.map((r) => ({ ...r }));
  out.write(
    `${title ? `\n${title}` : ""} (${count}):\n${l.total ? render(rows, "table", undefined, { maxWidth }) : ""}`,
  );
}

/** The latest price watch in one line: when, how it ended, what it found, its calls. */
function priceWatchLine(pw: StatusReport["priceWatch"]): string {
  if (!pw) return "never run (the worker runs it daily; `cost-sync prices watch` now)";
  const { run } = pw;
  const at = (run.finishedAt ?? run.startedAt).toISOString();
  if (run.status === "failed") return `FAILED at ${at}: ${run.error ?? "?"}`;
  if (run.status === "running") return `running since ${run.startedAt.toISOString()}`;
  const found = run.baseline ? "baseline kept" : `${String(run.changes ?? 0)} catalogue price change(s)`;
  return `${at}, ${found}, ${String(run.calls)} Hostwinds call(s)`;
}

/** The changes the latest price watch found, when it found any. */
function printPriceChanges(report: StatusReport, out: NodeJS.WritableStream, maxWidth: number | undefined): void {
  const changes = report.priceWatch?.changes ?? [];
  if (changes.length === 0) return;
  const table = render(changes, "table", undefined, { maxWidth });
  out.write(`\ncatalogue price changes found by the latest price watch:\n${table}`);
}
