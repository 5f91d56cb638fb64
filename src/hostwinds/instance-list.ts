import { z } from "zod";
import { describeIssues, preview } from "./issues.js";
import type { ListSink } from "./list-collector.js";
import { listedInstanceSchema, type ListedInstance } from "./schemas.js";

/**
 * get_instances validated element by element: one instance Hostwinds describes in a way we do not
 * understand (a cycle "Weekly", no cycle, a serviceid "abc") is rejected on its own, with its
 * reason, and the rest of the fleet is still priced (docs/hostwinds-client.md).
 */

/** An element of get_instances that is not an instance we can read. */
export interface RejectedInstance {
  /** Its position in the answer, from 0, in document order. */
  index: number;
  /** Its `serviceid` as Hostwinds sent it, when it has one. */
  serviceid?: string;
  reason: string;
}

export interface InstanceList {
  instances: ListedInstance[];
  rejected: RejectedInstance[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function serviceIdField(value: unknown): { serviceid?: string } {
  if (!isRecord(value)) return {};
  const sid = value.serviceid;
  return typeof sid === "string" || typeof sid === "number" ? { serviceid: String(sid) } : {};
}

/** Validates one element: an instance kept slim, or its rejection. */
function readInstance(value: unknown, index: number): ListedInstance | RejectedInstance {
  if (!isRecord(value)) return { index, reason: `${preview(value)} is not an instance object` };
  const parsed = listedInstanceSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  return { index, ...serviceIdField(value), reason: describeIssues(value, parsed.error.issues) };
}

/** How a rejection reads in an unpriced reason or a log line. */
export function describeRejected(r: RejectedInstance): string {
  const sid = r.serviceid === undefined ? "" : ` (serviceid ${r.serviceid})`;
  return `get_instances element ${r.index}${sid}: ${r.reason}`;
}

/** Collects instances as the list reader hands them over (see ListCollector). */
export class InstanceListBuilder implements ListSink<InstanceList> {
  readonly #list: InstanceList = { instances: [], rejected: [] };

  add(value: unknown, index: number): void {
    const read = readInstance(value, index);
    if ("reason" in read) this.#list.rejected.push(read);
    else this.#list.instances.push(read);
  }

  result(): InstanceList {
    return this.#list;
  }
}

/** The same, for a body read whole: an array, or an object keyed by id (its values are the elements). */
export const instanceListSchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).transform((v) => {
  const builder = new InstanceListBuilder();
  (Array.isArray(v) ? v : Object.values(v)).forEach((element, i) => {
    builder.add(element, i);
  });
  return builder.result();
});

/**
 * An answer whose every element is rejected is no fleet: Hostwinds changed the format (or sent
 * something else entirely), and the whole call is an invalid answer rather than N unpriced VPS.
 */
export function problemWith(list: InstanceList): string | undefined {
  const [first] = list.rejected;
  if (list.instances.length > 0 || !first) return undefined;
  return `every one of the ${list.rejected.length} elements was rejected; first: ${describeRejected(first)}`;
}

/**
 * The reason each rejected element gives, by the serviceid it names (digits only: no VPS stores
 * anything else as a serviceid); the first element wins when several name the same one.
 */
export function rejectedByServiceId(rejected: readonly RejectedInstance[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of rejected) {
    if (r.serviceid === undefined || !/^\d{1,15}$/.test(r.serviceid)) continue;
    const sid = Number(r.serviceid);
    if (!out.has(sid)) out.set(sid, describeRejected(r));
  }
  return out;
}
