/** One column of `htmlTable`: an escaped header, right-aligned when it holds numbers. */
export interface Column {
  header: string;
  numeric?: boolean;
}

/** A plain HTML table in a sideways-scrolling box; headers and cells are HTML already escaped by the caller. */
export function htmlTable(columns: readonly Column[], rows: readonly (readonly string[])[], className = ""): string {
  const cls = (c: Column | undefined): string => (c?.numeric ? ` class="num"` : "");
  const head = columns.map((c) => `<th${cls(c)}>${c.header}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${cls(columns[i])}>${cell}</td>`).join("")}</tr>`)
    .join("");
  const open = className ? `<table class="${className}">` : "<table>";
  // Scrolls sideways on a narrow window instead of squeezing the names to a letter per line.
  return `<div class="scroll">${open}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
