import { z } from "zod";
import { describeIssues, preview } from "./issues.js";
import { priceOptionSchema, type PriceOption } from "./schemas.js";

/**
 * get_price_list validated option by option, as get_instances is element by element: one option
 * Hostwinds describes in a way we do not understand (a price with three decimals, no `rid`) is
 * left out with its reason and the rest of the list still prices (docs/hostwinds-client.md,
 * "Partial price lists").
 */

/** An option of get_price_list that was left out. */
export interface RejectedOption {
  /** Its key in the answer (the documented object is keyed by resource id), or its index in an array. */
  key: string;
  /** Its `rid` as sent, when it has one. */
  rid?: string;
  /** Whether the answer flagged it as the instance's current plan. */
  current: boolean;
  reason: string;
}

export interface PriceListAnswer {
  options: PriceOption[];
  rejected: RejectedOption[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function ridOf(value: unknown): { rid?: string } {
  if (!isRecord(value)) return {};
  const rid = value.rid;
  return typeof rid === "string" || typeof rid === "number" ? { rid: String(rid) } : {};
}

const flaggedCurrent = (value: unknown) =>
  isRecord(value) && (value.current === 1 || value.current === "1" || value.current === true);

/** `get_price_list`: an object keyed by resource id (documented) or, defensively, an array; read option by option. */
export const priceListAnswerSchema = z
  .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .transform((v): PriceListAnswer => {
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((o, i) => [String(i), o]) : Object.entries(v);
    const out: PriceListAnswer = { options: [], rejected: [] };
    for (const [key, value] of entries) {
      const parsed = priceOptionSchema.safeParse(value);
      if (parsed.success) out.options.push(parsed.data);
      else {
        const reason = isRecord(value)
          ? describeIssues(value, parsed.error.issues)
          : `${preview(value)} is not a price option`;
        out.rejected.push({ key, ...ridOf(value), current: flaggedCurrent(value), reason });
      }
    }
    return out;
  });

/** How a rejected option reads in a log line, a reason or `hostwinds check`. */
export function describeRejectedOption(r: RejectedOption): string {
  const rid = r.rid !== undefined && r.rid !== r.key ? ` (rid ${r.rid})` : "";
  return `get_price_list option ${r.key}${rid}${r.current ? ", marked current," : ""}: ${r.reason}`;
}

/**
 * When a partial list cannot be trusted at all: every option rejected (a format change, not a
 * catalogue), or the option marked current rejected (the instance's plan is the one we cannot
 * read: guessing another by its specs could price the wrong plan).
 */
export function priceListProblem(answer: PriceListAnswer): string | undefined {
  const [first] = answer.rejected;
  if (!first) return undefined;
  if (answer.options.length === 0)
    return `every one of the ${String(answer.rejected.length)} options was rejected; first: ${describeRejectedOption(first)}`;
  const current = answer.rejected.find((r) => r.current);
  if (current) return `the current plan could not be read: ${describeRejectedOption(current)}`;
  return undefined;
}
