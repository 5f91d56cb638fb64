/**
 * Text for the executive page. Tenant names are untrusted: they may carry HTML,
 * quotes, terminal escape sequences or control characters. Every piece of text
 * the page shows goes through `esc`; no tenant's text is ever put in an attribute (a tenant id, a uuid
 * from the database, is, escaped all the same).
 */

// ESC sequences first (CSI, OSC, then two-character ones), so their printable tail
// ("[31m") does not survive the control-character pass below as visible junk.
const ESC_SEQUENCES =
  // eslint-disable-next-line no-control-regex -- matching ESC/BEL/CSI sequences is this regex's purpose
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// Whitespace controls read as a word break in a name; show them as one space.
const CONTROL_SPACE = /[\t\n\v\f\r]+/g;
// C0, DEL and C1; plus the bidi overrides/isolates, which could visually reorder the rest of a line.
// eslint-disable-next-line no-control-regex -- matching C0/C1 control characters is this regex's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// A lone surrogate cannot be encoded as UTF-8: show the replacement character instead.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HTML_SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Removes ESC sequences, C0/C1 control and bidi override characters, and lone surrogates. */
export function sanitizeText(input: string): string {
  return input
    .replace(ESC_SEQUENCES, "")
    .replace(CONTROL_SPACE, " ")
    .replace(CONTROL, "")
    .replace(LONE_SURROGATE, "\ufffd");
}

/** Sanitized and HTML-escaped (`& < > " '`): safe as element text and inside a quoted attribute. */
export function esc(input: string): string {
  return sanitizeText(input).replace(HTML_SPECIAL, (c) => ENTITY[c] ?? c);
}

/**
 * At most `max` characters (code points, so an emoji is never cut in half), with an ellipsis when
 * shortened. Applied to sanitized text, before escaping, so an entity is never cut either.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, Math.max(0, max - 1)).join("");
  return `${kept.trimEnd()}…`;
}

/** Sanitized, shortened to `max` characters, then escaped: for chart labels with a fixed width. */
export function escLabel(input: string, max: number): string {
  return esc(truncate(sanitizeText(input), max));
}
