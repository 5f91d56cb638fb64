import type { Config } from "../config/env.js";
import { costHistory, listAnomalies, runExists, type Page } from "../db/read-models/provenance.js";
import { intArg, kindArg, noArgs, parse, uuidArg, resourceArg } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { resolveResource } from "../services/resources.js";
import { withSession } from "./session.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

export const HISTORY_HELP = {
  help: "the cost history of a VPS or an IP, newest first, with source, reason, job and who",
  usage: ["history vps|ip <id> [--limit N] [--json] [--wide]"],
  arguments: { "<id>": "a VPS uuid or its Hostwinds serviceid (digits); an IP uuid" },
  flags: {
    limit: { type: "string", value: "N", help: "show the newest N changes (default 20, at most 1000)" },
    ...JSON_FLAG,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

export const ANOMALIES_HELP = {
  help: "cost changes beyond both anomaly thresholds, newest first",
  usage: ["anomalies [--since YYYY-MM-DD] [--run <id>] [--limit N] [--json] [--wide]"],
  description: "Found by reconciliations (ANOMALY_THRESHOLD_PERCENT and ANOMALY_THRESHOLD_USD, either direction).",
  flags: {
    since: { type: "string", value: "YYYY-MM-DD", help: "only those detected on or after this UTC date" },
    run: { type: "string", value: "<id>", help: "only those of this reconciliation run (a uuid)" },
    limit: { type: "string", value: "N", help: "show the newest N (default 50, at most 1000)" },
    ...JSON_FLAG,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

/** "3 of 40", or "40" when everything is shown. */
export const count = (p: Page<unknown>): string =>
  p.shown.length < p.total ? `${p.shown.length} of ${p.total}` : String(p.total);

/** `history vps|ip <id> [--limit N]`. */
export async function historyCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, HISTORY_HELP.flags);
  const [rawKind, rawId, ...extra] = positionals;
  const kind = kindArg(rawKind);
  noArgs(extra);
  const limit = intArg(values.limit, { flag: "--limit", min: 1, max: 1000, fallback: 20 });
  return withSession(cfg, async (s) => {
    const id = await resolveResource(s.repos.lookup, resourceArg(kind, rawId));
    const history = await costHistory(s.db, { kind, id, limit });
    if (values.json) printJson(out, { kind, id, history });
    else {
      out.write(`${clean(`${kind} ${id}`)}: ${count(history)} change(s), newest first\n`);
      if (history.total)
        out.write(render(history.shown, "table", undefined, { maxWidth: tableWidth(out, values.wide) }));
    }
    return EXIT.ok;
  });
}

/** `anomalies [--since YYYY-MM-DD] [--run <id>]`. */
export async function anomaliesCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, ANOMALIES_HELP.flags);
  noArgs(positionals);
  const since = values.since === undefined ? null : dateArg(values.since);
  const runId = values.run === undefined ? null : uuidArg(values.run, "run");
  const limit = intArg(values.limit, { flag: "--limit", min: 1, max: 1000, fallback: 50 });
  return withSession(cfg, async (s) => {
    if (runId !== null && !(await runExists(s.db, runId)))
      throw new UsageError(`no reconciliation run with id ${runId}`);
    const anomalies = await listAnomalies(s.db, { since, runId, limit });
    if (values.json) printJson(out, { since, runId, anomalies });
    else {
      out.write(`anomalies${since ? ` since ${since}` : ""}${runId ? ` of run ${runId}` : ""}: ${count(anomalies)}\n`);
      if (anomalies.total)
        out.write(render(anomalies.shown, "table", undefined, { maxWidth: tableWidth(out, values.wide) }));
    }
    return EXIT.ok;
  });
}

/** A calendar date, YYYY-MM-DD, that exists. */
function dateArg(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new UsageError(`--since must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}
