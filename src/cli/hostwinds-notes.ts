import type { ReadOnlyAction } from "../hostwinds/actions.js";
import { describeRejected, type InstanceList } from "../hostwinds/instance-list.js";
import { describeRejectedOption, type PriceListAnswer } from "../hostwinds/price-list.js";
import type { BillingCyclePrices, Instance, UpgradeOrder } from "../hostwinds/schemas.js";

/** What `hostwinds check` says about an answer the client read: understood or not, and a one-line note. */
export interface Reading {
  understood: boolean;
  verdict: "ok" | "partial" | "not understood";
  note: string;
}

const ok = (note: string): Reading => ({ understood: true, verdict: "ok", note });
const notUnderstood = (note: string): Reading => ({ understood: false, verdict: "not understood", note });

/** The note for each action's data. */
export function noteOf(action: ReadOnlyAction, value: unknown): Reading {
  switch (action) {
    case "get_instances":
      return instancesNote(value as InstanceList);
    case "get_price_list":
      return priceListNote(value as PriceListAnswer);
    case "get_instance": {
      const i = value as Instance;
      return ok(`serviceid ${i.serviceid}, billingcycle ${i.billingcycle}${i.status ? `, status ${i.status}` : ""}`);
    }
    case "get_billingcycle_prices":
      return cyclePricesNote(value as BillingCyclePrices);
    case "check_upgrade_order": {
      const order = value as UpgradeOrder;
      return ok(`pending upgrade order: total ${order.total}${order.duedate ? `, due ${order.duedate}` : ""}`);
    }
  }
}

/** Rejected elements mean part of the answer was not understood: the count, and the first of them. */
function instancesNote(list: InstanceList): Reading {
  const [first] = list.rejected;
  const read = `${list.instances.length} instance(s)`;
  if (!first) return ok(read);
  return notUnderstood(`${read}; ${list.rejected.length} element(s) rejected, first: ${describeRejected(first)}`);
}

/**
 * Options left out make the row partial: the rest of the list prices, but someone should look at
 * the option named (exit 1).
 */
function priceListNote({ options, rejected }: PriceListAnswer): Reading {
  const current = options.filter((o) => o.current).map((o) => o.rid);
  const flagged = current.length ? `, current: rid ${current.join(", ")}` : "";
  const read = `${options.length} plan(s)${flagged}`;
  const [first] = rejected;
  if (!first) return ok(read);
  const note = `${read}; ${rejected.length} option(s) left out, first: ${describeRejectedOption(first)}`;
  return { understood: false, verdict: "partial", note };
}

/**
 * `{}` is the documented answer: no per-instance cycle prices (the instance is priced from
 * get_price_list). Keys from which no cycle price can be read are a shape we do not know.
 */
function cyclePricesNote(answer: BillingCyclePrices): Reading {
  if (answer.kind === "none") return ok("{}: no per-instance cycle prices (priced from get_price_list)");
  if (answer.kind === "unknown")
    return notUnderstood(
      `no cycle price read from keys ${answer.keys.join(", ")}: the worker prices from get_price_list`,
    );
  return ok(
    Object.entries(answer.prices)
      .map(([cycle, price]) => `${cycle} ${price}`)
      .join(", "),
  );
}
