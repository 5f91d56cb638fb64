/** Renders rows as an aligned text table (numbers right-aligned), CSV or JSON. */
export type Format = "table" | "json" | "csv";

/** A JSON.stringify replacer: bigint (cents) has no JSON form of its own. */
const bigintAsText = (_key: string, v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

/** A value as the text of one cell: dates in ISO 8601, objects as JSON (rows from BullMQ are JSON already). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, bigintAsText);
}

export function render(
  rows: Record<string, unknown>[],
  format: Format,
  columns = rows[0] ? Object.keys(rows[0]) : [],
): string {
  if (format === "json") return JSON.stringify(rows, bigintAsText, 2) + "\n";
  if (format === "csv") {
    const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return [columns.join(","), ...rows.map((r) => columns.map((c) => esc(cell(r[c]))).join(","))].join("\n") + "\n";
  }
  if (rows.length === 0) return "(no rows)\n";
  const layout = columns.map((name) => ({
    name,
    numeric: rows.every((r) => r[name] === null || /^-?\d+(\.\d+)?$/.test(cell(r[name]))),
    width: Math.max(name.length, ...rows.map((r) => cell(r[name]).length)),
  }));
  const line = (text: (column: string) => string) =>
    layout
      .map(({ name, numeric, width }) => (numeric ? text(name).padStart(width) : text(name).padEnd(width)))
      .join("  ")
      .trimEnd();
  return (
    [
      line((name) => name),
      layout.map(({ width }) => "-".repeat(width)).join("  "),
      ...rows.map((r) => line((name) => cell(r[name]))),
    ].join("\n") + "\n"
  );
}

/** A one-line progress indicator on a terminal; silent otherwise (CI logs stay clean). */
export function progress(out: NodeJS.WritableStream, label: string) {
  const tty = (out as { isTTY?: boolean }).isTTY === true;
  return {
    update(done: number, total: number) {
      if (tty) out.write(`\r${label}: ${done}/${total} (${total ? Math.floor((done * 100) / total) : 100}%)`);
    },
    end(message: string) {
      out.write(`${tty ? "\r\x1b[K" : ""}${message}\n`);
    },
  };
}
