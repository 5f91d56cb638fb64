import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { READ_ONLY_ACTIONS } from "./actions.js";
import { scrub, secretForms } from "./errors.js";

/**
 * Answers of the live API saved as fixtures (`hostwinds check --save DIR`) and served again by the
 * simulator (`cost-sync simulator --replay DIR`): one file per action (and serviceid) holding the
 * body as it arrived, minus the key and with every IP address masked, plus `index.json` with each
 * answer's status and headers. See docs/hostwinds-client.md, "Recording and replaying".
 */

export const INDEX_FILE = "index.json";

export const recordedAnswerSchema = z.object({
  action: z.enum(READ_ONLY_ACTIONS),
  serviceid: z.string().regex(/^\d+$/).optional(),
  file: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a plain file name"),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
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

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]*(?::[0-9A-Fa-f.]*){2,}(?![\w:.])/g;

/**
 * Replaces IP addresses with documentation addresses (RFC 5737, RFC 3849), the same address
 * always by the same stand-in, so that a fixture keeps which instances share an address.
 */
export class IpMasker {
  readonly #v4 = new Map<string, string>();
  readonly #v6 = new Map<string, string>();

  mask(text: string): string {
    return text
      .replace(IPV4, (ip) => (isIPv4(ip) ? this.#stand(this.#v4, ip, (n) => v4StandIn(n)) : ip))
      .replace(IPV6, (ip) => (isIPv6(ip) ? this.#stand(this.#v6, ip, (n) => `2001:db8::${(n + 1).toString(16)}`) : ip));
  }

  #stand(map: Map<string, string>, ip: string, make: (n: number) => string): string {
    let standIn = map.get(ip);
    if (standIn === undefined) map.set(ip, (standIn = make(map.size)));
    return standIn;
  }
}

/** The n-th stand-in: 192.0.2.1…254, then 198.51.100.x, then 203.0.113.x, then round again. */
function v4StandIn(n: number): string {
  const nets = ["192.0.2", "198.51.100", "203.0.113"];
  return `${nets[Math.floor(n / 254) % nets.length] ?? "192.0.2"}.${(n % 254) + 1}`;
}

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
export function holdsSecret(text: string, secret: string | undefined): boolean {
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
 * A body fit to be saved: the key (every form of it) removed and IP addresses masked, the rest
 * byte for byte as Hostwinds sent it. Should a JSON escape still hide the key, the body is
 * written again from its parsed value, each string scrubbed.
 */
export function redactBody(text: string, secret: string | undefined, ips: IpMasker): string {
  const out = ips.mask(scrub(text, secret));
  if (!holdsSecret(out, secret)) return out;
  const clean = (v: unknown): unknown => {
    if (typeof v === "string") return ips.mask(scrub(v, secret));
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [ips.mask(scrub(k, secret)), clean(x)]));
    return v;
  };
  return JSON.stringify(clean(JSON.parse(out)));
}

/** Response headers as saved: one string each, cookies dropped, the key and IP addresses out of every value. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secret: string | undefined,
  ips: IpMasker,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = /^set-cookie$/i.test(name) ? "[removed]" : ips.mask(scrub(text, secret));
  }
  return out;
}
