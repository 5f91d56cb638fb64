import { headerText } from "./columns.js";
import { clean, jsonValue } from "./output.js";

/** A value on one line: dates in ISO 8601, nothing as "-", objects as JSON. */
function text(v: unknown): string {
  if (v === null || v === undefined || v === "") return "-";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return JSON.stringify(jsonValue(v));
}

/**
 * One record as `key: value` lines, keys in lower-case words and aligned (`started at: 2026-…`): a single
 * row reads down the page instead of across a 22-column table. Text is made safe for a terminal.
 */
export function recordLines(record: object, indent = "  "): string {
  const entries = Object.entries(record).map(([k, v]) => [headerText(k).toLowerCase(), text(v)] as const);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${clean(`${k}:`.padEnd(width + 1))} ${clean(v)}\n`).join("");
}
