import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import {
  ANOMALY_STATES,
  listAnomalies,
  type Anomaly,
  type AnomalyState,
} from "../services/anomalies/list-anomalies.js";
import {
  changeAnomalyState,
  type AnomalyTransition,
  type TransitionResult,
} from "../services/anomalies/anomaly-states.js";
import { dateArg, instantArg, intArg, noteArg, oneOf, parse, uuidArg } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { cappedCount as count } from "../capped-list.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

const TRANSITIONS: readonly AnomalyTransition[] = ["ack", "resolve", "reopen"];
const STATE_CHOICES = [...ANOMALY_STATES, "all"] as const;

export const ANOMALIES_HELP = {
  help: "cost changes beyond both anomaly thresholds, newest first; ack, resolve or reopen them",
  usage: [
    "anomalies [--state open|acknowledged|resolved|all] [--since YYYY-MM-DD] [--run <id>] [--limit N] [--json] [--wide]",
    "anomalies ack <id>...|--before DATE --note TEXT [--json]",
    "anomalies resolve <id>...|--before DATE --note TEXT [--json]",
    "anomalies reopen <id>...|--before DATE [--json]",
  ],
  description:
    "Found by reconciliations and invoice imports (ANOMALY_THRESHOLD_PERCENT and ANOMALY_THRESHOLD_USD, either\n" +
    "direction). Each is open until someone acknowledges it (who, when, a note) and then resolves it; only open\n" +
    "ones count in `status` and in the CostSyncOpenAnomalies alert. Acknowledging is reversible (`reopen`), so\n" +
    "no --yes is asked. --before DATE takes every anomaly detected before that UTC date (or ISO instant).",
  arguments: { "<id>": "an anomaly id (the `id` column of the list)" },
  flags: {
    state: { type: "string", value: "STATE", help: "open (default), acknowledged, resolved or all" },
    since: { type: "string", value: "YYYY-MM-DD", help: "only those detected on or after this UTC date" },
    run: { type: "string", value: "<id>", help: "only those of this reconciliation run (a uuid)" },
    limit: { type: "string", value: "N", help: "show the newest N (default 50, at most 1000)" },
    before: { type: "string", value: "DATE", help: "ack/resolve/reopen: every anomaly detected before DATE" },
    note: { type: "string", value: "TEXT", help: "ack/resolve: why (required, at most 500 characters)" },
    ...JSON_FLAG,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

/** The columns a terminal shows by default; --wide and --json give every field. */
const DEFAULT_COLUMNS: readonly (keyof Anomaly)[] = [
  "id",
  "detectedAt",
  "state",
  "kind",
  "serviceid",
  "oldValue",
  "newValue",
  "changeUsd",
  "changePct",
  "acknowledgedBy",
  "note",
];

/** `anomalies [ack|resolve|reopen ...]`. */
export async function anomaliesCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, ANOMALIES_HELP.flags);
  const [sub, ...rest] = positionals;
  if (sub !== undefined) {
    const transition = oneOf(sub, TRANSITIONS, "anomalies subcommand");
    return changeCommand(cfg, { transition, ids: rest, values }, out);
  }
  for (const f of ["before", "note"] as const)
    if (values[f] !== undefined) throw new UsageError(`--${f} goes with ack, resolve or reopen`);
  const since = values.since === undefined ? null : dateArg(values.since, "--since");
  const runId = values.run === undefined ? null : uuidArg(values.run, "run");
  const limit = intArg(values.limit, { flag: "--limit", min: 1, max: 1000, fallback: 50 });
  const state = oneOf(values.state ?? "open", STATE_CHOICES, "--state");
  const states: AnomalyState[] | null = state === "all" ? null : [state];
  return withSession(cfg, async (s) => {
    const anomalies = await listAnomalies(s.db, { since, runId, states, limit });
    if (values.json) printJson(out, { state, since, runId, anomalies });
    else {
      const what = `${state === "all" ? "" : `${state} `}anomalies`;
      out.write(`${what}${since ? ` since ${since}` : ""}${runId ? ` of run ${runId}` : ""}: ${count(anomalies)}\n`);
      const columns = values.wide ? undefined : [...DEFAULT_COLUMNS];
      if (anomalies.total)
        out.write(render(anomalies.shown, "table", columns, { maxWidth: tableWidth(out, values.wide) }));
    }
    return EXIT.ok;
  });
}

async function changeCommand(
  cfg: Config,
  o: {
    transition: AnomalyTransition;
    ids: string[];
    values: { before?: string; note?: string; json?: boolean; state?: string; since?: string; run?: string };
  },
  out: NodeJS.WritableStream,
): Promise<number> {
  const { transition, ids: rest, values } = o;
  for (const f of ["state", "since", "run"] as const)
    if (values[f] !== undefined) throw new UsageError(`--${f} lists anomalies; ${transition} takes ids or --before`);
  if (rest.length && values.before !== undefined) throw new UsageError(`give ids or --before, not both`);
  if (!rest.length && values.before === undefined)
    throw new UsageError(`missing anomaly ids: anomalies ${transition} <id>...|--before DATE`);
  const ids = rest.map((raw) => {
    if (!/^[1-9]\d{0,18}$/.test(raw))
      throw new UsageError(`anomaly id must be a positive integer, got ${JSON.stringify(raw)}`);
    return raw;
  });
  const note = noteArg(transition, values.note);
  const target = values.before === undefined ? { ids } : { before: instantArg(values.before) };
  const result = await withSession(cfg, (s) =>
    changeAnomalyState(s.db, transition, { target, by: operatorOf(cfg), note }),
  );
  if (values.json) printJson(out, result);
  else out.write(describe(result));
  return EXIT.ok;
}

function describe(r: TransitionResult): string {
  const n = r.changed.length;
  const lines = [`${String(n)} anomal${n === 1 ? "y" : "ies"} now ${r.state}${n ? `: ${r.changed.join(", ")}` : ""}`];
  for (const u of r.unchanged) lines.push(`anomaly ${u.id} left as it was: already ${u.state}`);
  return lines.map((l) => `${clean(l)}\n`).join("");
}
