/** Renders rows as an aligned text table (numbers right-aligned), CSV or JSON. */
export type Format = "table" | "json" | "csv";

const cell = (v: unknown): string =>
  v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);

export function render(
  rows: Record<string, unknown>[],
  format: Format,
  columns = rows[0] ? Object.keys(rows[0]) : [],
): string {
  if (format === "json") return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
  if (format === "csv") {
    const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return [columns.join(","), ...rows.map((r) => columns.map((c) => esc(cell(r[c]))).join(","))].join("\n") + "\n";
  }
  if (rows.length === 0) return "(no rows)\n";
  const numeric = columns.map((c) => rows.every((r) => r[c] === null || /^-?\d+(\.\d+)?$/.test(cell(r[c]))));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return (
    [
      line(columns),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
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
