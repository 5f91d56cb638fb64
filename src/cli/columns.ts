/**
 * How a text table reads at a glance (kubectl's way): a few default columns that fit 120 characters,
 * headers in one case (upper-case words), ids shortened; `--wide` gives every column in full. CSV and
 * JSON are not affected: they keep every column under its own name.
 */

/** One default column: the row's key and, when the key's words are too long, a shorter header. */
export interface ColumnSpec {
  key: string;
  header?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key as a header: `total_operational_cost` and `totalOperationalCost` both read `TOTAL OPERATIONAL COST`. */
export function headerText(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toUpperCase();
}

/** A uuid as its first 8 characters (what `git` and `kubectl` users expect); anything else unchanged. */
export function shortId(value: string): string {
  return UUID.test(value) ? value.slice(0, 8) : value;
}

/** The columns a table shows: the defaults (those present), or with `wide` every column. */
export function pickColumns(
  columns: readonly string[],
  defaults: readonly ColumnSpec[] | undefined,
  wide: boolean | undefined,
): { columns: string[]; headers: string[] } {
  if (wide === true || defaults === undefined) return { columns: [...columns], headers: columns.map(headerText) };
  const present = defaults.filter((d) => columns.includes(d.key));
  return { columns: present.map((d) => d.key), headers: present.map((d) => d.header ?? headerText(d.key)) };
}
