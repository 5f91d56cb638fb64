/**
 * What an invoice line pays for, from its description (docs/invoices.md lists the patterns).
 *
 * `vps` lines are compared with `vps_instances.approximate_cost`, `ip` lines with
 * `smtp_ip_addresses.approximate_cost`; everything else is `other`: fleet-level "other Hostwinds
 * spend", never matched to one VPS.
 */
import { withoutPeriodSuffix } from "./dates.js";
import { withoutHostnames } from "./fields.js";

/** How the import matches a line. */
export type LineKind = "vps" | "ip" | "other";

/** What the line pays for; every category but `vps` and `ip` is of kind `other`. */
export type LineCategory =
  "vps" | "ip" | "hourly" | "snapshot" | "backup" | "block-storage" | "bandwidth" | "discount" | "unrecognised";

export const LINE_CATEGORIES: readonly LineCategory[] = [
  "vps",
  "ip",
  "hourly",
  "snapshot",
  "backup",
  "block-storage",
  "bandwidth",
  "discount",
  "unrecognised",
];

/** Hourly and usage-based charges: they follow use, not a plan price, so no model predicts them per VPS. */
export const USAGE_CATEGORIES: ReadonlySet<LineCategory> = new Set([
  "hourly",
  "snapshot",
  "backup",
  "block-storage",
  "bandwidth",
]);

export interface Classification {
  kind: LineKind;
  category: LineCategory;
  /** Hourly or usage-based (`USAGE_CATEGORIES`). */
  isHourlyOrUsage: boolean;
}

/**
 * Tried in order; the first match wins. Usage and discounts come first because their descriptions
 * often name the server they belong to ("Snapshot of Cloud VPS ..."), and IP add-ons before
 * servers for the same reason ("Additional IP Address - Cloud VPS ...").
 */
const PATTERNS: readonly (readonly [LineCategory, RegExp])[] = [
  ["discount", /\b(promo(tion(al)?)?( code)?|coupon|discount|credit|refund)\b/i],
  ["hourly", /\bhourly\b/i],
  ["snapshot", /\bsnapshots?\b/i],
  ["backup", /\b(backups?|back-ups?)\b/i],
  ["block-storage", /\b(block storage|object storage|storage volumes?|volumes?)\b/i],
  ["bandwidth", /\b(bandwidth|data transfer|overage)\b/i],
  [
    "ip",
    /\b((additional|dedicated|extra|floating|failover) ip(v4|v6)?s?|ip(v4|v6)? (address(es)?|block|subnet)|ipv[46])\b/i,
  ],
  ["vps", /\b(vps|vds|virtual (private )?server|cloud server|dedicated server|server)\b/i],
];

/**
 * Classifies a line by its description. A description matching no pattern is `ip` when the line
 * carries an IP address (an add-on billed under a name we do not know), else `unrecognised`.
 * Host names in parentheses and the period suffix are not read: `(snapshot.example.com)` names a
 * server, it does not make the line a snapshot.
 */
export function classifyLine(description: string, hasIp: boolean): Classification {
  const text = withoutHostnames(withoutPeriodSuffix(description));
  const found = PATTERNS.find(([, re]) => re.test(text));
  const category: LineCategory = found ? found[0] : hasIp ? "ip" : "unrecognised";
  const kind: LineKind = category === "vps" || category === "ip" ? category : "other";
  return { kind, category, isHourlyOrUsage: USAGE_CATEGORIES.has(category) };
}
