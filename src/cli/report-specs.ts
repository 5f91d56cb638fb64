import { VIEW_REPORTS } from "../services/view-reports.js";
import { DIGEST_FLAGS } from "./digest-command.js";
import { SAVINGS_FLAGS } from "./savings-report.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp, type Flags } from "./spec.js";
import { TREND_FLAGS } from "./trend-report.js";

/**
 * Each `report` subcommand with its own flags: `parse()` refuses a flag the subcommand does not take
 * (exit 2), and `report <name> --help` lists only its flags. The names are the ones people script against.
 */

const CSV_FLAG = { csv: { type: "boolean", help: "print CSV (RFC 4180)" } } as const;
/** The formats of a table report: --json, --csv, --wide. */
const TABLE_FLAGS = { ...JSON_FLAG, ...CSV_FLAG, ...WIDE_FLAG } as const;

const VIEW_USAGE = "[--json|--csv] [--wide]";

export const REPORT_SUBCOMMANDS = {
  executive: {
    help: "one row per subscribed tenant, then the fleet's own rows; or the executive page (--html FILE)",
    usage: [`report executive ${VIEW_USAGE}`, "report executive --html FILE"],
    flags: {
      ...TABLE_FLAGS,
      html: { type: "string", value: "FILE", help: "write the executive page (self-contained HTML) to FILE" },
    },
  },
  allocation: {
    help: "the cost allocation per tenant, then the fleet's own rows",
    usage: [`report allocation ${VIEW_USAGE}`],
    flags: TABLE_FLAGS,
  },
  untracked: {
    help: "the Hostwinds instances no VPS row names, then the ghost rows",
    usage: [`report untracked ${VIEW_USAGE}`],
    flags: TABLE_FLAGS,
  },
  invoices: {
    help: "a month's accuracy against imported Hostwinds invoices",
    usage: [`report invoices [--month YYYY-MM] ${VIEW_USAGE}`],
    flags: {
      month: {
        type: "string",
        value: "YYYY-MM",
        help: "the month (accuracy, drift, unmatched); default the latest imported month",
      },
      ...TABLE_FLAGS,
    },
  },
  trend: {
    help: "the closed months of the fleet, or of one tenant, with the change since the previous month",
    usage: [`report trend [--months N] [--tenant <id>] ${VIEW_USAGE}`],
    flags: { ...TREND_FLAGS, ...TABLE_FLAGS },
  },
  savings: {
    help: "what can be cut, by monthly saving; --realised: what opportunities marked done saved",
    usage: [
      `report savings [--kind K] [--tenant ID|NAME] [--state open|dismissed|done|all] ${VIEW_USAGE}`,
      "report savings --realised [--months N] [--json|--csv]",
    ],
    flags: {
      ...SAVINGS_FLAGS,
      tenant: { type: "string", value: "<tenant>", help: "one tenant's opportunities (its uuid or its name)" },
      months: { type: "string", value: "N", help: "with --realised: the last N months (1 to 120, default 6)" },
      ...TABLE_FLAGS,
    },
  },
  digest: {
    help: "what changed since the last digest posted (or --since)",
    usage: ["report digest [--since 7d] [--markdown|--html FILE|--json]"],
    flags: {
      ...DIGEST_FLAGS,
      html: { type: "string", value: "FILE", help: "write the digest as HTML to FILE" },
      ...JSON_FLAG,
    },
  },
} as const satisfies Record<(typeof VIEW_REPORTS)[number] | "invoices" | "trend" | "savings" | "digest", CommandHelp>;

export type ReportName = keyof typeof REPORT_SUBCOMMANDS;
export const REPORT_NAMES = Object.keys(REPORT_SUBCOMMANDS) as ReportName[];

const flagsOf = (name: ReportName): Flags => REPORT_SUBCOMMANDS[name].flags;

/**
 * Why `report <name>` refuses `flag` that another subcommand takes, from the specs: the flags every
 * subcommand taking it shares and `name` lacks ("--since and --markdown are for report digest").
 */
export function elsewhere(name: ReportName, flag: string): string | undefined {
  const owners = REPORT_NAMES.filter((n) => flag in flagsOf(n));
  if (owners.length === 0) return undefined;
  const own = flagsOf(name);
  const shared = Object.keys(flagsOf(owners[0] ?? name)).filter(
    (f) => !(f in own) && owners.every((o) => f in flagsOf(o)),
  );
  const flags = shared.map((f) => `--${f}`);
  const list = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1) ?? ""}`);
  const verb = flags.length > 1 ? "are" : "is";
  return `report ${name} takes no --${flag}: ${list(flags)} ${verb} for ${list(owners.map((o) => `report ${o}`))}`;
}

/** The flags of any report that take a value (to find the subcommand's name among the arguments). */
export const REPORT_VALUE_FLAGS = new Set(
  REPORT_NAMES.flatMap((n) =>
    Object.entries(flagsOf(n))
      .filter(([, f]) => f.type === "string")
      .map(([k]) => k),
  ),
);

/** The subcommand's name: the first argument that is neither a flag nor a flag's value; its index, or -1. */
export function reportNameAt(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--") return i + 1 < args.length ? i + 1 : -1;
    if (!a.startsWith("-")) return i;
    if (a.startsWith("--") && !a.includes("=") && REPORT_VALUE_FLAGS.has(a.slice(2))) i++;
  }
  return -1;
}
