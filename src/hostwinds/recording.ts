import { z } from "zod";
import { READ_ONLY_ACTIONS } from "./actions.js";
import type { IpMasker } from "./ip-mask.js";
import { removeCredentialFields } from "./redact-fields.js";
import { scrub, secretForms } from "./secret-forms.js";

/**
 * Answers of the live API saved as fixtures (`hostwinds check --save DIR`) and served again by the
 * simulator (`cost-sync simulator --replay DIR`): one file per action (and serviceid) holding the
 * body as it arrived, minus the key and with every IP address masked, plus `index.json` with each
 * answer's status and headers. See docs/hostwinds-client.md, "Recording and replaying".
 */

export const INDEX_FILE = "index.json";

const recordedAnswerSchema = z.object({
  action: z.enum(READ_ONLY_ACTIONS),
  serviceid: z.string().regex(/^\d+$/).optional(),
  file: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a plain file name"),
  status: z.number().int().min(200).max(599),
  // A header value with CR or LF could not be sent again (and could split the response): refused at load.
  headers: z.record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not a header name"),
    z.string().regex(/^[^\r\n\0]*$/, "holds a line break or NUL"),
  ),
  /** Fields whose values were removed as credential-like (src/hostwinds/redact-fields.ts). */
  removedFields: z.array(z.string()).optional(),
});
export type RecordedAnswer = z.infer<typeof recordedAnswerSchema>;

export const recordingIndexSchema = z.object({
  savedAt: z.string(),
  answers: z.array(recordedAnswerSchema),
});
export type RecordingIndex = z.infer<typeof recordingIndexSchema>;

/** `get_price_list.json`, `get_price_list-5006.json`. */
export const fixtureFileName = (action: string, serviceid?: string): string =>
  `${action}${serviceid === undefined ? "" : `-${serviceid}`}.json`;

export { IpMasker } from "./ip-mask.js";

/** Every string in a parsed JSON value (keys included). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  return out;
}

/** Whether the text, or any string it holds once parsed as JSON (escapes decoded), still has the key. */
function holdsSecret(text: string, secret: string | undefined): boolean {
  if (!secret) return false;
  const forms = secretForms(secret);
  const has = (s: string) => forms.some((f) => s.includes(f));
  if (has(text)) return true;
  try {
    return strings(JSON.parse(text)).some(has);
  } catch {
    return false;
  }
}

/**
 * A body fit to be saved: credential-like fields' values removed (redact-fields.ts), the key (every
 * form of it) removed and IP addresses masked, the rest byte for byte as Hostwinds sent it. Should a
 * JSON escape still hide the key, the body is written again from its parsed value, each string
 * scrubbed.
 */
export function redactBody(
  text: string,
  secret: string | undefined,
  ips: IpMasker,
): { body: string; removedFields: string[] } {
  const fields = removeCredentialFields(text);
  const out = ips.mask(scrub(fields?.text ?? text, secret));
  const removedFields = fields?.removed ?? [];
  if (!holdsSecret(out, secret)) return { body: out, removedFields };
  const clean = (v: unknown): unknown => {
    if (typeof v === "string") return ips.mask(scrub(v, secret));
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [ips.mask(scrub(k, secret)), clean(x)]));
    return v;
  };
  return { body: JSON.stringify(clean(JSON.parse(out))), removedFields };
}

/** Header names that carry credentials: their values are never saved. */
const CREDENTIAL_HEADER = /cookie|authori[sz]ation|token|key|secret|pass|session|signature/i;

/** Response headers as saved: one string each, cookies and credential headers removed, the key and IP addresses out of every value. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secret: string | undefined,
  ips: IpMasker,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = CREDENTIAL_HEADER.test(name) ? "[removed]" : ips.mask(scrub(text, secret));
  }
  return out;
}
