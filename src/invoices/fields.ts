/**
 * Parsers for the single fields of an invoice line. Each returns the normalised value or a reason
 * that quotes the cell, so a person can find and fix it.
 */
import type { Parsed } from "./dates.js";

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const q = (s: string): string => JSON.stringify(s);

/** `-`, `$` in either order, then digits (grouped by 3 with commas, or not), then `.` and decimals. */
const AMOUNT = /^(-?)\s*(\$?)\s*(-?)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
/** Ten digits before the point: no Hostwinds line comes near it; it catches pasted garbage. */
const MAX_INTEGER_DIGITS = 10;
/**
 * The largest amount a line may have, exclusive: 1,000,000.00. No Hostwinds line comes near it, and
 * the per-VPS figures a line reaches (cost_anomalies.new_value, numeric(8,2)) hold less than it.
 */
export const AMOUNT_LIMIT_CENTS = 100_000_000n;

/**
 * An amount in USD as exact integer cents, never through a float: `1234.5`, `$1,234.50`, `-12.00`,
 * `-$12.00`, `$-12.00` and the accounting form `(12.00)` for a credit. At most 2 decimals;
 * `12.3.4`, `1e3`, `NaN`, `Infinity`, `1,23`, `.5` and `12.345` are refused.
 */
export function parseAmountCents(text: string): Parsed<bigint> {
  const t = text.trim();
  if (t === "") return refuse("amount is empty");
  const accounting = /^\((.*)\)$/.exec(t);
  const m = AMOUNT.exec(accounting ? (accounting[1] ?? "").trim() : t);
  const minus = m ? [m[1], m[3]].filter((s) => s === "-").length + (accounting ? 1 : 0) : 0;
  if (!m || minus > 1) return refuse(`amount ${q(t)} is not an amount such as 1234.50, $1,234.50 or -12.00`);
  const [digits, decimals] = [(m[4] ?? "").replace(/,/g, ""), m[5] ?? ""];
  if (decimals.length > 2) return refuse(`amount ${q(t)} has more than 2 decimals`);
  if (digits.replace(/^0+(?=\d)/, "").length > MAX_INTEGER_DIGITS) return refuse(`amount ${q(t)} is too large`);
  const cents = BigInt(digits) * 100n + BigInt(decimals.padEnd(2, "0"));
  if (cents >= AMOUNT_LIMIT_CENTS)
    return refuse(`amount ${q(t)} is 1,000,000.00 or more: no Hostwinds invoice line comes near it (a typo?)`);
  return { ok: true, value: minus === 1 ? -cents : cents };
}

/**
 * A Hostwinds service id: digits, leading zeros dropped (`0030` and `30` are one instance, as in
 * `serviceIdOf`). Up to 15 digits, so it is also an exact JavaScript number.
 */
export function parseServiceId(text: string): Parsed<string> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return refuse(`service_id ${q(t)} is not a number`);
  const id = t.replace(/^0+/, "");
  if (id === "") return refuse(`service_id ${q(t)} is not a Hostwinds service id (0)`);
  if (id.length > 15) return refuse(`service_id ${q(t)} has more than 15 digits`);
  return { ok: true, value: id };
}

/**
 * An invoice number: a leading `#` dropped; letters, digits and `. _ / -`; an all-digit number
 * without leading zeros (spreadsheets drop them, so `00123` and `123` must be one invoice).
 */
export function parseInvoiceNumber(text: string): Parsed<string> {
  const t = text.trim().replace(/^#\s*/, "");
  if (t === "") return refuse("invoice_number is empty");
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/.test(t)) {
    return refuse(`invoice_number ${q(text.trim())} is not an invoice number (up to 64 letters, digits, . _ / -)`);
  }
  return { ok: true, value: /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, "") : t };
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

/** A host name, lower-cased, without a trailing dot. Single labels (`mail1`) are allowed. */
export function parseHostname(text: string): Parsed<string> {
  const h = text.trim().toLowerCase().replace(/\.$/, "");
  return HOSTNAME.test(h) ? { ok: true, value: h } : refuse(`hostname ${q(text.trim())} is not a host name`);
}

/** A dotted host name in parentheses, e.g. `(mail1.example.com)`: WHMCS puts a service's domain there. */
const HOST_IN_PARENS = new RegExp(`\\((${LABEL}(?:\\.${LABEL})+)\\.?\\)`, "gi");

/**
 * The last `(host.name)` in a description (remove its period suffix first). Its last label must
 * have a letter and two characters, as top-level domains do, so `(2.5)`, `(v2.0)` and IPs are not taken.
 */
export function hostnameFromDescription(description: string): string | undefined {
  let last: string | undefined;
  for (const m of description.matchAll(HOST_IN_PARENS)) last = m[1];
  const tld = last?.split(".").pop() ?? "";
  return last !== undefined && tld.length >= 2 && /[a-z]/i.test(tld) ? last.toLowerCase() : undefined;
}

/** A host name as WHMCS writes it after " - " on an item's first line: `Product - host.name (period)`. */
const AFTER_DASH = new RegExp(`\\s-\\s+(${LABEL}(?:\\.${LABEL})+)\\.?\\s*$`, "i");

/**
 * The host a description names, and how: the last `(host.name)` of its first line, else a host
 * name after its last " - " (`Cloud VPS - mail1.example.com`, `Upgrade/Downgrade: Old - host.name`).
 * Remove the periods first. Option lines (after a newline) never name the service.
 */
export function hostFromDescription(description: string): { host: string; from: "parentheses" | "dash" } | undefined {
  const first = description.split(/\r\n|\r|\n/, 1)[0] ?? "";
  const inParens = hostnameFromDescription(first);
  if (inParens !== undefined) return { host: inParens, from: "parentheses" };
  const m = AFTER_DASH.exec(first.replace(HOST_IN_PARENS, " ").trimEnd());
  const host = m?.[1]?.toLowerCase();
  const tld = host?.split(".").pop() ?? "";
  return host !== undefined && tld.length >= 2 && /^[a-z]+$/.test(tld) ? { host, from: "dash" } : undefined;
}

/** The description without its `(host.name)` groups. */
export function withoutHostnames(description: string): string {
  return description.replace(HOST_IN_PARENS, " ");
}

const USD: Parsed<"USD"> = Object.freeze({ ok: true, value: "USD" });

/** The only currency accepted. An empty cell means USD: Hostwinds bills this account in USD. */
export function parseCurrency(text: string): Parsed<"USD"> {
  if (text === "USD" || text === "") return USD;
  const t = text.trim();
  return t === "" || t.toUpperCase() === "USD" ? { ok: true, value: "USD" } : refuse(`currency ${t} is not USD`);
}
