/**
 * How data leaves the CLI: JSON with one naming style (camelCase keys, exact amounts as strings),
 * and text made safe for a terminal (no control characters or escape sequences from the data:
 * company names and Hostwinds' messages come from outside).
 */

/** `snake_case` → `snakeCase`; other keys (ids with hyphens, camelCase already) are left alone. */
const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A value ready for JSON.stringify: camelCase keys, bigint (cents) as text, dates in ISO 8601. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), jsonValue(x)]));
  return v;
}

export function toJson(v: unknown): string {
  return JSON.stringify(jsonValue(v), null, 2) + "\n";
}

export function printJson(out: NodeJS.WritableStream, v: unknown): void {
  out.write(toJson(v));
}

// ESC sequences (CSI, OSC, and two-character ones), then every other C0/C1 control, and the
// bidirectional overrides that can reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const OSC = /\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex
const ESC2 = /\u001b[@-_]?/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text as a terminal should show it: escape sequences and control characters removed, tabs and newlines as spaces. */
export function clean(text: string): string {
  return text
    .replace(CSI, "")
    .replace(OSC, "")
    .replace(ESC2, "")
    .replace(/[\t\n]/g, " ")
    .replace(CONTROL, "");
}

/** The width a table may take on `out`: the terminal's, or none (a pipe or a file gets every cell in full). */
export function tableWidth(out: NodeJS.WritableStream, wide: boolean | undefined): number | undefined {
  const tty = out as { isTTY?: boolean; columns?: number };
  return tty.isTTY === true && wide !== true && typeof tty.columns === "number" ? tty.columns : undefined;
}
