import { isIPv6 } from "node:net";

/**
 * IP addresses in saved answers, in every form they were seen in (docs/hostwinds-client.md,
 * "Recording and replaying"): dotted (`104.168.12.34`, with leading zeros `104.168.012.034`, with a
 * trailing dot, after a prefix such as `ip_`), with JSON-escaped dots (`104\u002e168…`), in rDNS
 * host names (`client-104-168-12-34.…`, and reversed in `34.12.168.104.in-addr.arpa`), and IPv6.
 * Each is replaced by a documentation address (RFC 5737, RFC 3849) written in the same form, the
 * same address always by the same stand-in, so that a fixture keeps which instances share one.
 */

// Four octets joined by one kind of separator: a dot, a JSON-escaped dot, or a hyphen (rDNS names).
// Not inside a longer run of digits and separators; a trailing dot is allowed (a fully qualified name).
const SEP = String.raw`(\.|\\u002[eE]|-)`;
const IPV4 = new RegExp(
  String.raw`(?<![\d.])(?<!\\u002[eE])(\d{1,3})${SEP}(\d{1,3})\2(\d{1,3})\2(\d{1,3})(?!\d)(?!(?:\.|\\u002[eE]|-)\d)`,
  "g",
);
const REVERSE_ZONE = /^(?:\.|\\u002[eE])in-addr(?:\.|\\u002[eE])arpa/i;
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]*(?::[0-9A-Fa-f.]*){2,}(?![\w:.])/g;

export class IpMasker {
  readonly #v4 = new Map<string, string>();
  readonly #v6 = new Map<string, string>();

  mask(text: string): string {
    return text
      .replace(IPV4, (match: string, ...groups: unknown[]) => this.#v4Match(match, groups, text))
      .replace(IPV6, (ip) => (isIPv6(ip) ? this.#stand(this.#v6, ip, (n) => `2001:db8::${(n + 1).toString(16)}`) : ip));
  }

  #v4Match(match: string, groups: unknown[], text: string): string {
    const [a, sep, b, c, d, offset] = groups as [string, string, string, string, string, number];
    const octets = [a, b, c, d].map(Number);
    if (octets.some((o) => o > 255)) return match;
    // A reversed address in a reverse-DNS name: masked as the address it names, written reversed again.
    const reversed = REVERSE_ZONE.test(text.slice(offset + match.length));
    const address = (reversed ? [...octets].reverse() : octets).join(".");
    const standIn = this.#stand(this.#v4, address, v4StandIn).split(".");
    return (reversed ? standIn.reverse() : standIn).join(sep);
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
  return `${nets[Math.floor(n / 254) % nets.length] ?? "192.0.2"}.${String((n % 254) + 1)}`;
}
