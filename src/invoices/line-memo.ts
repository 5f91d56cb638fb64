/**
 * What the validator reads once and reuses: an invoice file repeats itself (one product and period
 * on many lines, one amount over a month's lines), so the readings of a description and the
 * monthly equivalent of an amount over a period are pure functions worth keeping. Each cache is
 * bounded (cleared when full): memory does not grow with the file. Kept values are frozen, shared
 * by the lines that give them.
 */
import { classifyLine, type Classification } from "./classify.js";
import { periodFromDescription, type CalendarDate, type DateOrder, type Period } from "./dates.js";
import { hostInDescription } from "./line-parts.js";
import { monthlyEquivalent, type MonthlyEquivalent } from "./monthly-equivalent.js";

/** Entries per cache. */
export const CACHE_MAX = 4096;

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= CACHE_MAX) map.clear();
    map.set(key, value);
  }
  return value;
}

export class LineMemo {
  readonly #descriptions = new Map<string, DescriptionReading>();
  readonly #monthly = new Map<string, MonthlyEquivalent>();

  /** Entries kept (bounded by twice the cache size). */
  get size(): number {
    return this.#descriptions.size + this.#monthly.size;
  }

  /** What the description says (host, period, classification), read once per description. */
  described(description: string): DescriptionReading {
    return remember(this.#descriptions, description, () => new DescriptionReading(description));
  }

  /** The monthly equivalent, computed once per amount and period (or invoice day: a line without one). */
  monthlyOf(o: {
    amountCents: bigint;
    /** The period as text (`YYYY-MM-DD`), the key. */
    period: { start: string; end: string } | undefined;
    dates: Period | undefined;
    invoiceDate: CalendarDate;
    invoiceDay: string;
  }): MonthlyEquivalent {
    const key = o.period ? `${o.amountCents}|${o.period.start}|${o.period.end}` : `${o.amountCents}|${o.invoiceDay}`;
    return remember(this.#monthly, key, () => {
      const m = monthlyEquivalent({ amountCents: o.amountCents, period: o.dates, invoiceDate: o.invoiceDate });
      Object.freeze(m.perMonth);
      return Object.freeze(m);
    });
  }
}

/** A description's readings, each made the first time a line asks for it. */
export class DescriptionReading {
  #host: { value: ReturnType<typeof hostInDescription> } | undefined;
  #period: { order: DateOrder; value: ReturnType<typeof periodFromDescription> } | undefined;
  readonly #classes = new Map<string, Classification>();

  constructor(private readonly description: string) {}

  readonly host = (d: string) => {
    this.#host ??= { value: hostInDescription(d) };
    return this.#host.value;
  };

  readonly period = (d: string, order: DateOrder) => {
    if (this.#period?.order !== order) this.#period = { order, value: periodFromDescription(d, order) };
    return this.#period.value;
  };

  classification(hasIp: boolean, lineType: string): Classification {
    return remember(this.#classes, `${hasIp ? "ip" : ""}\u0000${lineType}`, () =>
      Object.freeze(classifyLine(this.description, hasIp, lineType)),
    );
  }
}
