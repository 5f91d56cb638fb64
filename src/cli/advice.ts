import { ConfigError } from "../config/env.js";

/**
 * Turns an error into one line of advice for the person at the terminal: the one place that knows
 * what PostgreSQL's and Redis's failures mean for cost-sync. One rule per case, first match wins;
 * anything else keeps its own first line, never a Prisma dump.
 */

/** What the rules may name: the URLs in use (shown without their passwords). */
export interface AdviceContext {
  databaseUrl?: string;
  redisUrl?: string;
}

/** What an error says, gathered from it, its causes, and the driver adapter's error under Prisma's. */
interface Facts {
  names: string[];
  message: string;
  /** PostgreSQL's SQLSTATE (`3D000`), from pg or from Prisma's driver adapter. */
  sqlstate?: string;
  /** The driver adapter's kind (`DatabaseNotReachable`). */
  kind?: string;
  /** A system error code (`ECONNREFUSED`). */
  errno?: string;
  /** The port a refused connection was aimed at. */
  port?: number;
  /** PostgreSQL's own message, when Prisma wrapped it. */
  pgMessage?: string;
}

type Rule = (f: Facts, ctx: AdviceContext) => string | undefined;

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET"]);

function target(url: string | undefined): { host: string; port: number; database: string; user: string } {
  try {
    const u = new URL(url ?? "");
    const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
    return { host: u.host, port: Number(u.port || 5432), database, user: decodeURIComponent(u.username) };
  } catch {
    return { host: "?", port: 5432, database: "?", user: "?" };
  }
}

const RULES: Rule[] = [
  (f) => (f.names.includes("ConfigError") ? f.message.replace(/:\n\s+/, ": ").replace(/\n\s+/g, "; ") : undefined),
  (f) => (/^Redis unreachable/.test(f.message) ? `${f.message}: start Redis, or check REDIS_URL` : undefined),
  (f, c) => {
    const t = target(c.databaseUrl);
    const refused = f.errno !== undefined && UNREACHABLE.has(f.errno) && (f.port === undefined || f.port === t.port);
    return f.kind === "DatabaseNotReachable" || refused
      ? `PostgreSQL is unreachable at ${t.host}${f.errno ? ` (${f.errno})` : ""}: start it, or check DATABASE_URL`
      : undefined;
  },
  (f, c) =>
    f.sqlstate === "3D000" || f.kind === "DatabaseDoesNotExist"
      ? `check DATABASE_URL: database ${target(c.databaseUrl).database} does not exist on ${target(c.databaseUrl).host} (create it, then run \`cost-sync migrate\`)`
      : undefined,
  (f, c) =>
    f.sqlstate === "28000" || f.sqlstate === "28P01" || f.kind === "DatabaseAccessDenied"
      ? `check DATABASE_URL: PostgreSQL refused role ${target(c.databaseUrl).user} (${f.pgMessage ?? f.message})`
      : undefined,
  (f, c) =>
    f.names.includes("NotMigratedError") || f.sqlstate === "42P01" || f.kind === "TableDoesNotExist"
      ? `database ${target(c.databaseUrl).database} is not migrated for cost-sync: run \`cost-sync migrate\` (then \`cost-sync verify\`)`
      : undefined,
  (f) =>
    f.sqlstate === "42501"
      ? `PostgreSQL: permission denied (${f.pgMessage ?? f.message}): grant the role in DATABASE_URL the privileges cost-sync needs, or connect as the schema's owner`
      : undefined,
  (f) => (f.pgMessage ? `PostgreSQL: ${f.pgMessage}${f.sqlstate ? ` (SQLSTATE ${f.sqlstate})` : ""}` : undefined),
];

/** One line of advice for `err`. */
export function advise(err: unknown, ctx: AdviceContext = {}): string {
  const facts = gather(err);
  for (const rule of RULES) {
    const advice = rule(facts, ctx);
    if (advice !== undefined) return advice;
  }
  return firstLine(facts.message);
}

/** A Prisma message's useful line (its last), else the first line. */
function firstLine(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (message.includes("Invalid `prisma.") ? lines.at(-1) : lines[0]) ?? "unknown error";
}

type Loose = Record<string, unknown> & { cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown } };

function gather(err: unknown): Facts {
  const facts: Facts = { names: [], message: err instanceof Error ? err.message : String(err) };
  const seen = new Set<unknown>();
  const visit = (e: unknown): void => {
    if (typeof e !== "object" || e === null || seen.has(e)) return;
    seen.add(e);
    const o = e as Loose;
    if (e instanceof ConfigError) facts.names.push("ConfigError");
    if (e instanceof Error) facts.names.push(e.name);
    collect(facts, o);
    visit(o.meta?.driverAdapterError);
    visit(o.cause);
    if (Array.isArray(o.errors)) o.errors.forEach(visit);
  };
  visit(err);
  return facts;
}

function collect(facts: Facts, o: Loose): void {
  const code = typeof o.code === "string" ? o.code : undefined;
  // Prisma's own codes (P1000-P6999) look like SQLSTATEs but are not: PostgreSQL's comes as originalCode.
  if (code && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("E") && !/^P[1-9]/.test(code)) facts.sqlstate ??= code;
  if (code && UNREACHABLE.has(code)) facts.errno ??= code;
  if (typeof o.originalCode === "string") facts.sqlstate ??= o.originalCode;
  if (typeof o.originalMessage === "string") facts.pgMessage ??= o.originalMessage;
  if (typeof o.kind === "string") facts.kind ??= o.kind;
  if (typeof o.port === "number") facts.port ??= o.port;
}
