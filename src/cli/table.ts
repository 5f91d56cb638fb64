import { pickColumns, shortId, type ColumnSpec } from "./columns.js";
import { clean, jsonValue } from "./output.js";

/** Renders rows as an aligned text table (numbers right-aligned), CSV or JSON. */
export type Format = "table" | "json" | "csv";

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A value as the text of one cell: dates in ISO 8601, objects as JSON (rows from BullMQ are JSON already). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(jsonValue(v));
}

/**
 * A CSV cell that a spreadsheet will not run (OWASP, "CSV injection"): text starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading `'`. A plain number such as `-12.30`
 * is left as it is, so amounts stay numbers.
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Options of the text table: the width it must fit in (a terminal's; none for every cell in full), its
 * default columns (every column when absent or with `wide`), and whether uuids show whole (`wide`).
 */
export interface TableOptions {
  maxWidth?: number;
  defaults?: readonly ColumnSpec[];
  wide?: boolean;
}

export function render(
  records: readonly object[],
  format: Format,
  columns = records[0] ? Object.keys(records[0]) : [],
  o: TableOptions = {},
): string {
  const rows = records as readonly Record<string, unknown>[];
  if (format === "json") return JSON.stringify(jsonValue(rows), null, 2) + "\n";
  if (format === "csv")
    return [columns.map(csvCell).join(","), ...rows.map((r) => columns.map((c) => csvCell(cell(r[c]))).join(","))]
      .join("\n")
      .concat("\n");
  if (rows.length === 0) return "(no rows)\n";
  const shown = pickColumns(columns, o.defaults, o.wide);
  const text = (v: unknown) => (o.wide === true ? cell(v) : shortId(cell(v)));
  return textTable(
    shown.headers.map(clean),
    rows.map((r) => shown.columns.map((c) => clean(text(r[c])))),
    o.maxWidth,
  );
}

/** The aligned table; text columns give way, widest first, when it would not fit `maxWidth`. */
function textTable(header: string[], body: string[][], maxWidth: number | undefined): string {
  const layout = header.map((name, i) => {
    const values = Math.max(0, ...body.map((r) => (r[i] ?? "").length));
    const numeric = body.every((r) => r[i] === "" || NUMBER.test(r[i] ?? ""));
    // A number is never cut; only its column's header may be, down to the widest value.
    const min = numeric ? Math.max(values, 3) : Math.min(Math.max(values, name.length), MIN_TEXT_WIDTH);
    return { numeric, min, width: Math.max(name.length, values) };
  });
  if (maxWidth !== undefined) fit(layout, maxWidth);
  const fitCell = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const line = (cells: string[]) =>
    layout
      .map(({ numeric, width }, i) => {
        const text = fitCell(cells[i] ?? "", width);
        return numeric ? text.padStart(width) : text.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(header), layout.map(({ width }) => "-".repeat(width)).join("  "), ...body.map(line)].join("\n") + "\n";
}

/** The narrowest a text column gets (a few characters and the ellipsis still say something). */
const MIN_TEXT_WIDTH = 6;

type Column = { numeric: boolean; min: number; width: number };

/**
 * Narrows columns one character at a time until the table fits: the widest text column first,
 * then, if text alone cannot make room, the headers of numeric columns. Stops at every minimum.
 */
function fit(layout: Column[], maxWidth: number): void {
  const total = () => layout.reduce((s, c) => s + c.width, 0) + 2 * Math.max(0, layout.length - 1);
  const widest = (numeric: boolean) =>
    layout
      .filter((c) => c.numeric === numeric && c.width > c.min)
      .reduce<Column | undefined>((a, c) => (a && a.width >= c.width ? a : c), undefined);
  while (total() > maxWidth) {
    const column = widest(false) ?? widest(true);
    if (!column) return;
    column.width--;
  }
}
