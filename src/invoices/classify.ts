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
  | "vps"
  | "promo"
  | "upgrade"
  | "ip"
  | "hourly"
  | "snapshot"
  | "backup"
  | "block-storage"
  | "bandwidth"
  | "discount"
  | "late-fee"
  | "fee"
  | "unrecognised";

export const LINE_CATEGORIES: readonly LineCategory[] = [
  "vps",
  "promo",
  "upgrade",
  "ip",
  "hourly",
  "snapshot",
  "backup",
  "block-storage",
  "bandwidth",
  "discount",
  "late-fee",
  "fee",
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
  ["late-fee", /\blate (payment )?fees?\b/i],
  ["fee", /\b(setup|set-up|installation|admin(istration)?|service|processing) fees?\b|\bfees?\b/i],
  [
    "ip",
    /\b((additional|dedicated|extra|floating|failover) ip(v4|v6)?s?|ip(v4|v6)? (address(es)?|block|subnet)|ipv[46])\b/i,
  ],
  ["vps", /\b(vps|vds|virtual (private )?server|cloud server|dedicated server|server)\b/i],
];

/** WHMCS's item `type`, compared lower-cased without spaces, `_` or `-`. */
export const normaliseType = (type: string): string => type.toLowerCase().replace(/[\s_-]+/g, "");

/** The categories of kind `vps`: a service's own charge, its promotion, its upgrade. */
const VPS_CATEGORIES: ReadonlySet<LineCategory> = new Set(["vps", "promo", "upgrade"]);

function byDescription(text: string, hasIp: boolean): LineCategory {
  const found = PATTERNS.find(([, re]) => re.test(text));
  return found ? found[0] : hasIp ? "ip" : "unrecognised";
}

/**
 * What WHMCS's item `type` says, where it says it: `Hosting` is a service (a VPS; an hourly one is
 * usage), `PromoHosting` a promotion on one, `Upgrade` a plan change of one, `LateFee` a fee.
 * `Addon` is an IP when its description or its `ip` says so. Other types (`Item`, `Invoice`, ...)
 * and no type at all are read from the description.
 */
function byType(type: string, text: string, hasIp: boolean): LineCategory | undefined {
  switch (normaliseType(type)) {
    case "hosting":
      return byDescription(text, false) === "hourly" ? "hourly" : "vps";
    case "promohosting":
      return "promo";
    case "upgrade":
      return "upgrade";
    case "latefee":
      return "late-fee";
    case "addon": {
      const c = byDescription(text, hasIp);
      return VPS_CATEGORIES.has(c) ? (hasIp ? "ip" : "unrecognised") : c;
    }
    default:
      return undefined;
  }
}

/**
 * Classifies a line by its WHMCS `type` when it has one that says, else by the first line of its
 * description (option lines after it, `Backups: Nightly`, do not say what the line is). A
 * description matching no pattern is `ip` when the line carries an IP address (an add-on billed
 * under a name we do not know), else `unrecognised`. Host names in parentheses and periods are not
 * read: `(snapshot.example.com)` names a server, it does not make the line a snapshot.
 */
export function classifyLine(description: string, hasIp: boolean, type = ""): Classification {
  const first = description.split(/\r\n|\r|\n/, 1)[0] ?? "";
  const text = withoutHostnames(withoutPeriodSuffix(first));
  const category = byType(type, text, hasIp) ?? byDescription(text, hasIp);
  const kind: LineKind = VPS_CATEGORIES.has(category) ? "vps" : category === "ip" ? "ip" : "other";
  return { kind, category, isHourlyOrUsage: USAGE_CATEGORIES.has(category) };
}
