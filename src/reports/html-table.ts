/** One column of `htmlTable`: an escaped header, right-aligned when it holds numbers. */
export interface Column {
  header: string;
  /** The header as plain text, repeated before each cell when a narrow window stacks the rows. */
  label?: string;
  numeric?: boolean;
  /** Left out on a narrow window (a detail the stacked rows can do without). */
  wideOnly?: boolean;
}

/**
 * A plain HTML table; headers and cells are HTML already escaped by the caller. On a narrow window
 * (docs/executive.md, "Phone width") each row becomes a block of "label value" lines, so nothing
 * scrolls sideways: every cell carries its column's label, which only the narrow layout shows.
 */
export function htmlTable(columns: readonly Column[], rows: readonly (readonly string[])[], className = ""): string {
  const cls = (c: Column | undefined): string => {
    const names = [c?.numeric ? "num" : "", c?.wideOnly ? "wide-only" : ""].filter(Boolean).join(" ");
    return names ? ` class="${names}"` : "";
  };
  const label = (c: Column | undefined): string =>
    c?.label === undefined ? "" : ` data-label="${c.label.replace(/[&<>"']/g, "")}"`;
  const head = columns.map((c) => `<th${cls(c)}>${c.header}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${cls(columns[i])}${label(columns[i])}>${cell}</td>`).join("")}</tr>`)
    .join("");
  const names = ["stack", className].filter(Boolean).join(" ");
  return `<table class="${names}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
