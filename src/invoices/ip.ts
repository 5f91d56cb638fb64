import { isIPv4, isIPv6 } from "node:net";
import type { Parsed } from "./dates.js";

/** `::ffff:a.b.c.d` as the URL parser writes it: `::ffff:hhhh:hhhh`. */
const MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * An IP address in one normal form, so a ledger's spelling matches the database's: IPv4 in dotted
 * decimal (leading zeros such as `010.0.0.1` are refused: some tools read them as octal); IPv6 as
 * RFC 5952 writes it (lower case, no leading zeros, the longest run of zero groups as `::`); an
 * IPv4-mapped IPv6 address as its IPv4 address. Zone ids (`fe80::1%eth0`) are refused.
 * Use it on both sides when matching (`vps_instances.ip_address`, `smtp_ip_addresses.ip_address`).
 */
export function parseIp(text: string): Parsed<string> {
  const t = text.trim();
  if (isIPv4(t)) return { ok: true, value: t };
  if (t.includes("%") || !isIPv6(t))
    return { ok: false, reason: `ip ${JSON.stringify(t)} is not an IPv4 or IPv6 address` };
  // The WHATWG URL parser writes IPv6 hosts in the RFC 5952 form.
  const host = new URL(`http://[${t}]/`).hostname.slice(1, -1);
  const mapped = MAPPED.exec(host);
  if (!mapped) return { ok: true, value: host };
  const [hi, lo] = [parseInt(mapped[1] ?? "", 16), parseInt(mapped[2] ?? "", 16)];
  return { ok: true, value: [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".") };
}
