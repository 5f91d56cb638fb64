/**
 * What the validator reads once and reuses: an invoice file repeats itself (one product and period
 * on many lines, one amount over a month's lines, one invoice number over its lines, a few dates),
 * so the readings of a description, of a cell and the monthly equivalent of an amount over a period
 * are pure functions worth keeping. Each cache is bounded (cleared when full): memory does not grow
 * with the file. Kept values are frozen, shared by the lines that give them.
 *
 * Lookups are made without building a key string per line where they can be (by the cell's own
 * text, or by the shared objects earlier readings returned), since a million new keys to build and
 * hash cost more than the readings they save.
 */
import { classifyLine, type Classification } from "./classify.js";
import {
  formatDate,
  periodFromDescription,
  type CalendarDate,
  type DateOrder,
  type Parsed,
  type Period,
} from "./dates.js";
import { parseAmountCents, parseInvoiceNumber } from "./fields.js";
import { checkPeriod, hostInDescription, Refusal, type FoundPeriod } from "./line-parts.js";
import { monthlyEquivalent, type MonthlyEquivalent } from "./monthly-equivalent.js";
import { CACHE_MAX, KEPT_DESCRIPTION_CHARS, remember } from "./bounded-cache.js";

export { CACHE_MAX, KEPT_DESCRIPTION_CHARS };

/**
 * The text as a string of its own. A cell is a slice of the piece of the file it was read from, and
 * a kept slice would keep that whole piece (64 KB) alive: a cache of a few thousand descriptions
 * would hold hundreds of megabytes. Concatenating and slicing makes V8 copy the characters.
 */
export function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

const frozenMonthly = (m: MonthlyEquivalent): MonthlyEquivalent => {
  Object.freeze(m.perMonth);
  return Object.freeze(m);
};

export class LineMemo {
  readonly #descriptions = new Map<string, DescriptionReading>();
  readonly #monthly = new Map<string, MonthlyEquivalent>();
  /** Monthly equivalents by the shared period (or invoice date) object they are over, then by amount. */
  readonly #monthlyOver = new Map<object, Map<bigint, MonthlyEquivalent>>();
  #monthlyOverSize = 0;
  readonly #invoiceNumbers = new Map<string, Parsed<string>>();
  readonly #amounts = new Map<string, Parsed<bigint>>();
  readonly #days = new Map<CalendarDate, string>();

  /** Entries kept (each cache is bounded by CACHE_MAX). */
  get size(): number {
    return (
      this.#descriptions.size +
      this.#monthly.size +
      this.#monthlyOverSize +
      this.#invoiceNumbers.size +
      this.#amounts.size +
      this.#days.size
    );
  }

  /** What the description says (host, period, classification), read once per description. */
  described(description: string): DescriptionReading {
    // A long description is read afresh each time: kept, a few thousand could fill memory.
    if (description.length > KEPT_DESCRIPTION_CHARS) return new DescriptionReading(description);
    let reading = this.#descriptions.get(description);
    if (reading === undefined) {
      reading = new DescriptionReading(ownCopy(description));
      if (this.#descriptions.size >= CACHE_MAX) this.#descriptions.clear();
      this.#descriptions.set(reading.description, reading);
    }
    return reading;
  }

  /** `parseInvoiceNumber` of the cell, read once per text. */
  invoiceNumber(text: string): Parsed<string> {
    return remember(this.#invoiceNumbers, text, parseInvoiceNumber);
  }

  /** `parseAmountCents` of the cell, read once per text. */
  amount(text: string): Parsed<bigint> {
    return remember(this.#amounts, text, parseAmountCents);
  }

  /** `formatDate` of a date `parseDate` gave (shared objects), written once per date. */
  day(date: CalendarDate): string {
    return remember(this.#days, date, formatDate);
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
    return remember(this.#monthly, key, () =>
      frozenMonthly(monthlyEquivalent({ amountCents: o.amountCents, period: o.dates, invoiceDate: o.invoiceDate })),
    );
  }

  /**
   * As `monthlyOf`, over a period, or (without one) an invoice date, that is an object a cache
   * keeps and nobody changes (a description's period, a date `parseDate` gave): that object and
   * the amount are the key.
   */
  monthlyOver(amountCents: bigint, period: Period | undefined, invoiceDate: CalendarDate): MonthlyEquivalent {
    const key = period ?? invoiceDate;
    let byAmount = this.#monthlyOver.get(key);
    let value = byAmount?.get(amountCents);
    if (value !== undefined) return value;
    value = frozenMonthly(monthlyEquivalent({ amountCents, period, invoiceDate }));
    if (this.#monthlyOverSize >= CACHE_MAX) {
      [byAmount, this.#monthlyOverSize] = [undefined, 0];
      this.#monthlyOver.clear();
    }
    if (byAmount === undefined) this.#monthlyOver.set(key, (byAmount = new Map<bigint, MonthlyEquivalent>()));
    byAmount.set(amountCents, value);
    this.#monthlyOverSize++;
    return value;
  }
}

/** A description's readings, each made the first time a line asks for it. */
export class DescriptionReading {
  #host: { value: ReturnType<typeof hostInDescription> } | undefined;
  #period: { order: DateOrder; value: ReturnType<typeof periodFromDescription> } | undefined;
  #found: { of: Parsed<Period>; value: FoundPeriod } | undefined;
  /** The invoice date (a shared object) the description's period was last found within bounds of. */
  #checkedFor: CalendarDate | undefined;
  readonly #classes = new Map<string, Classification>();
  /** The classifications of a line without a type, without an ip and with one. */
  #untyped: Classification | undefined;
  #untypedIp: Classification | undefined;

  constructor(readonly description: string) {}

  readonly host = (d: string) => {
    this.#host ??= { value: hostInDescription(d) };
    return this.#host.value;
  };

  readonly period = (d: string, order: DateOrder) => {
    if (this.#period?.order !== order) this.#period = { order, value: periodFromDescription(d, order) };
    return this.#period.value;
  };

  /** What `readPeriod` finds in the description alone (its period cells empty): one shared object. */
  foundPeriod(order: DateOrder): FoundPeriod | undefined {
    const parsed = this.period(this.description, order);
    if (parsed === undefined) return undefined;
    if (!parsed.ok) throw new Refusal(parsed.reason);
    if (this.#found?.of !== parsed) {
      this.#found = { of: parsed, value: Object.freeze({ period: parsed.value, source: "description" }) };
      this.#checkedFor = undefined;
    }
    return this.#found.value;
  }

  /** `checkPeriod` of the period `foundPeriod` gave, skipped when it passed for this invoice date already. */
  checkFoundPeriod(found: FoundPeriod, invoiceDate: CalendarDate): void {
    if (found === this.#found?.value && invoiceDate === this.#checkedFor) return;
    checkPeriod(found, invoiceDate);
    if (found === this.#found?.value) this.#checkedFor = invoiceDate;
  }

  classification(hasIp: boolean, lineType: string): Classification {
    if (lineType === "") {
      if (hasIp) return (this.#untypedIp ??= Object.freeze(classifyLine(this.description, true, "")));
      return (this.#untyped ??= Object.freeze(classifyLine(this.description, false, "")));
    }
    return remember(this.#classes, `${hasIp ? "ip" : ""}\u0000${lineType}`, () =>
      Object.freeze(classifyLine(this.description, hasIp, lineType)),
    );
  }
}
