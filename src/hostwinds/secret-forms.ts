import { createHash } from "node:crypto";

/**
 * Every form in which the key can leave this process or come back (docs/hostwinds-client.md, "The
 * key never survives"): as it is; as the client sends it (URLSearchParams: `+` for a space) and as
 * encodeURIComponent writes it (`%20`), each with upper- and lower-case hex; every byte
 * percent-encoded; base64, base64url (padded or not) and hex of its bytes; HTML entities (the
 * special characters, or every character as a decimal or hex reference); JSON escapes (as
 * JSON.stringify writes it, or every character as \uXXXX); and its SHA-256 in hex (the simulator
 * compares keys by hash). Longest first, so that no form is left half-replaced by a shorter one it
 * contains.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const hex = bytes.toString("hex");
  const sha = createHash("sha256").update(secret).digest("hex");
  const perByte = [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  const forms = [
    secret,
    ...bothCases(new URLSearchParams({ k: secret }).toString().slice(2)),
    ...bothCases(encodeURIComponent(secret)),
    perByte,
    perByte.toUpperCase(),
    bytes.toString("base64"),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    hex,
    hex.toUpperCase(),
    ...htmlForms(secret),
    JSON.stringify(secret).slice(1, -1),
    ...jsonUnicodeForms(secret),
    sha,
    sha.toUpperCase(),
  ];
  return [...new Set(forms)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** A percent-encoded text with its escapes' hex in upper case (as written) and in lower case. */
function bothCases(encoded: string): string[] {
  return [encoded, encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())];
}

const HTML_SPECIAL: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function htmlForms(secret: string): string[] {
  // Code points, as an HTML character reference names them (not UTF-16 units, not grapheme clusters).
  const chars = Array.from(secret);
  const code = (c: string) => c.codePointAt(0) ?? 0;
  return [
    chars.map((c) => HTML_SPECIAL[c] ?? c).join(""),
    chars.map((c) => (c === "'" ? "&apos;" : (HTML_SPECIAL[c] ?? c))).join(""),
    chars.map((c) => `&#${String(code(c))};`).join(""),
    chars.map((c) => `&#x${code(c).toString(16)};`).join(""),
    chars.map((c) => `&#x${code(c).toString(16).toUpperCase()};`).join(""),
  ];
}

function jsonUnicodeForms(secret: string): string[] {
  const units = [...Array(secret.length).keys()].map((i) => secret.charCodeAt(i).toString(16).padStart(4, "0"));
  return [units.map((u) => `\\u${u}`).join(""), units.map((u) => `\\u${u.toUpperCase()}`).join("")];
}

/** Replaces every form of `secret` (see secretForms) in `text`. */
export function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  for (const form of secretForms(secret)) out = out.split(form).join("[redacted]");
  return out;
}
