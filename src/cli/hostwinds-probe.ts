import type { ReadOnlyAction } from "../hostwinds/actions.js";
import type { Exchange, HostwindsClient } from "../hostwinds/client.js";
import { envelopeKind, type EnvelopeKind } from "../hostwinds/envelope.js";
import { HostwindsError } from "../hostwinds/errors.js";
import type { Instance, PriceOption } from "../hostwinds/schemas.js";
import { decideFromHostwinds } from "../jobs/vps-decision.js";
import { formatCents } from "../money.js";
import { noteOf } from "./hostwinds-notes.js";

/**
 * `hostwinds check`: each read action the worker depends on, called once, and what came back.
 * See docs/hostwinds-client.md, "Checking the live contract".
 */

/**
 * ok: data understood; `ok (none pending)`: check_upgrade_order's "No pending upgrade order";
 * error: an error answer we understand (an unknown serviceid…). The rest fail the check: partial
 * (options of get_price_list left out), unknown action ("Invalid Action."), refused, not
 * understood, failed.
 */
export type Verdict =
  | "ok"
  | "ok (none pending)"
  | "error"
  | "partial"
  | "unknown action"
  | "refused"
  | "not understood"
  | "failed"
  | "skipped";

export interface ProbeRow {
  action: ReadOnlyAction;
  serviceid: string | null;
  httpStatus: number | null;
  envelope: EnvelopeKind | "not JSON" | "none";
  understood: boolean;
  verdict: Verdict;
  note: string;
}

export interface ProbePricing {
  serviceid: number;
  outcome: "priced" | "unpriced";
  monthlyUsd: string | null;
  source: string | null;
  reason: string | null;
}

export interface ProbeReport {
  /** The instance probed by the serviceid actions, and where its id came from. */
  serviceid: { value: number; from: "--serviceid" | "first instance of get_instances" } | null;
  rows: ProbeRow[];
  /** How that instance would be priced, when its instance and price list were read. */
  pricing: ProbePricing | null;
  /** The first authorization failure's message (it names HOSTWINDS_API_KEY and the allow-list). */
  authFailure: string | null;
  /** True when every shape was understood and nothing was refused or failed: exit 0. */
  understood: boolean;
}

export type ProbeClient = Pick<
  HostwindsClient,
  "getInstances" | "getPriceListAnswer" | "getInstance" | "getBillingCyclePrices" | "checkUpgradeOrder"
>;

/** The answers the client showed (its onAnswer hook), in order. */
export interface AnswerLog {
  answers: Exchange[];
}

/** The verdicts that leave the check passing (exit 0). */
export const PASSING: ReadonlySet<Verdict> = new Set(["ok", "ok (none pending)", "error", "skipped"]);

/** Runs the probe; `--serviceid` names the instance, else the first instance of get_instances does. */
export async function probeHostwinds(client: ProbeClient, log: AnswerLog, o: { serviceid?: number }) {
  const rows: ProbeRow[] = [];
  let authFailure: string | null = null;
  const step = async <T>(action: ReadOnlyAction, sid: number | undefined, call: () => Promise<T>) => {
    const seen = log.answers.length;
    const outcome = await call().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const row = rowOf({ action, sid, outcome, answer: log.answers.slice(seen).at(-1) });
    if (row.verdict === "refused" && "error" in outcome && authFailure === null)
      authFailure = (outcome.error as Error).message;
    rows.push(row);
    return "value" in outcome ? outcome.value : undefined;
  };
  const listed = await step("get_instances", undefined, () => client.getInstances());
  await step("get_price_list", undefined, () => client.getPriceListAnswer());
  const first = listed?.instances[0]?.serviceid;
  const serviceid =
    o.serviceid !== undefined
      ? { value: o.serviceid, from: "--serviceid" as const }
      : first !== undefined
        ? { value: first, from: "first instance of get_instances" as const }
        : null;
  let pricing: ProbePricing | null = null;
  if (serviceid) {
    const sid = serviceid.value;
    const options = (await step("get_price_list", sid, () => client.getPriceListAnswer(sid)))?.options;
    const instance = await step("get_instance", sid, () => client.getInstance(sid));
    await step("get_billingcycle_prices", sid, () => client.getBillingCyclePrices(sid));
    await step("check_upgrade_order", sid, () => client.checkUpgradeOrder(sid));
    if (options && instance) pricing = priceOf(instance, options);
  } else {
    for (const action of SERVICEID_ACTIONS) rows.push(skipped(action, listed !== undefined));
  }
  const understood = rows.every((r) => PASSING.has(r.verdict));
  return { serviceid, rows, pricing, authFailure, understood } satisfies ProbeReport;
}

const SERVICEID_ACTIONS = ["get_price_list", "get_instance", "get_billingcycle_prices", "check_upgrade_order"] as const;

function skipped(action: ReadOnlyAction, listedNone: boolean): ProbeRow {
  const why = listedNone ? "get_instances listed no instance" : "get_instances failed";
  const note = `no serviceid to ask about (${why}): pass --serviceid N`;
  return { action, serviceid: null, httpStatus: null, envelope: "none", understood: false, verdict: "skipped", note };
}

/** How the worker would price this instance from what was just read. */
function priceOf(instance: Instance, options: readonly PriceOption[]): ProbePricing {
  const d = decideFromHostwinds(instance, options);
  const base = { serviceid: instance.serviceid };
  if (d.kind === "unpriced") return { ...base, outcome: "unpriced", monthlyUsd: null, source: null, reason: d.reason };
  return { ...base, outcome: "priced", monthlyUsd: formatCents(d.cents), source: d.source, reason: null };
}

type Outcome = { value: unknown } | { error: unknown };

/** One row: what came back (status, envelope) and what the client made of it. */
function rowOf(o: { action: ReadOnlyAction; sid: number | undefined; outcome: Outcome; answer: Exchange | undefined }) {
  const { action, outcome, answer } = o;
  const base = {
    action,
    serviceid: o.sid === undefined ? null : String(o.sid),
    httpStatus: answer?.answer.status ?? null,
    envelope: envelopeOf(answer),
  };
  if ("value" in outcome) return { ...base, ...noteOf(action, outcome.value) };
  const e = outcome.error;
  if (!(e instanceof HostwindsError))
    return { ...base, understood: false, verdict: "failed" as const, note: String(e) };
  const said = e.details.hostwindsMessage ?? e.message;
  switch (e.kind) {
    case "auth":
      return { ...base, understood: true, verdict: "refused" as const, note: `Hostwinds: ${said}` };
    case "input":
      // The documented answer when no upgrade is pending: nothing wrong, nothing to show.
      if (action === "check_upgrade_order" && /no pending upgrade/i.test(said))
        return { ...base, understood: true, verdict: "ok (none pending)" as const, note: `Hostwinds: ${said}` };
      return { ...base, understood: true, verdict: "error" as const, note: `Hostwinds: ${said}` };
    case "unknown_action":
      return { ...base, understood: true, verdict: "unknown action" as const, note: e.message };
    case "invalid_response":
      return { ...base, understood: false, verdict: "not understood" as const, note: e.message };
    default:
      return { ...base, understood: false, verdict: "failed" as const, note: e.message };
  }
}

function envelopeOf(answer: Exchange | undefined): ProbeRow["envelope"] {
  if (!answer) return "none";
  try {
    return envelopeKind(JSON.parse(answer.answer.parts.join("")));
  } catch {
    return "not JSON";
  }
}
