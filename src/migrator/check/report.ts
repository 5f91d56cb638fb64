/**
 * What `migrate --check` finds, and how it is printed. Every finding names the object concerned,
 * the rows when rows are the problem (the first ID_LIMIT ids and how many in all), and the fix
 * (docs/first-deployment.md explains each kind).
 */

/** A "block" stops `migrate` before it writes anything; a "warn" is printed and migrate goes on. */
export type Severity = "block" | "warn";

export interface Finding {
  severity: Severity;
  /** The kind of incompatibility, one of the sections of docs/first-deployment.md. */
  topic:
    | "column type"
    | "missing column"
    | "not null"
    | "rows"
    | "relation kind"
    | "view columns"
    | "index"
    | "row-level security"
    | "privilege"
    | "role"
    | "failed migration"
    | "migration history"
    | "check";
  /** The table, view, index, schema or role concerned. */
  object: string;
  column?: string;
  /** The first ID_LIMIT offending ids, when rows are the problem… */
  ids?: string[];
  /** …and how many there are in all. */
  count?: number;
  problem: string;
  fix: string;
}

export interface PendingMigration {
  name: string;
  /** "mark-applied": recorded as applied without running (see docs/first-deployment.md). */
  action: "apply" | "mark-applied";
  why?: string;
}

export interface CheckReport {
  database: string;
  role: string;
  pending: PendingMigration[];
  findings: Finding[];
  /** No blocking finding: `migrate` may run. */
  ready: boolean;
}

/** How many ids a finding lists; its count says how many there are. */
export const ID_LIMIT = 20;

const idList = (f: Finding): string =>
  f.ids?.length
    ? `\n        ids: ${f.ids.join(", ")}${(f.count ?? 0) > f.ids.length ? ` (first ${String(f.ids.length)} of ${String(f.count)})` : ""}`
    : "";

/** The report as text: pending migrations, then each finding with its fix, then the verdict. */
export function formatReport(r: CheckReport): string {
  const lines = [`migrate --check: database ${r.database}, connected as ${r.role}`];
  lines.push(r.pending.length ? `pending migrations (${String(r.pending.length)}):` : "pending migrations: none");
  for (const m of r.pending) {
    lines.push(
      `  ${m.name}${m.action === "mark-applied" ? ` — will be marked applied without running: ${m.why ?? ""}` : ""}`,
    );
  }
  const blocks = r.findings.filter((f) => f.severity === "block").length;
  const warns = r.findings.length - blocks;
  lines.push(
    r.findings.length
      ? `incompatibilities (${String(blocks)} to fix, ${String(warns)} warning${warns === 1 ? "" : "s"}):`
      : "incompatibilities: none",
  );
  for (const f of r.findings) {
    const where = f.column ? `${f.object}.${f.column}` : f.object;
    lines.push(`  ${f.severity === "block" ? "FIX " : "WARN"}  [${f.topic}] ${where}: ${f.problem}${idList(f)}`);
    lines.push(`        fix: ${f.fix}`);
  }
  lines.push(
    r.ready
      ? `migrate --check: ready${r.pending.length ? "" : " (nothing to apply)"}`
      : `migrate --check: NOT ready: ${String(blocks)} incompatibilit${blocks === 1 ? "y" : "ies"} to fix first (docs/first-deployment.md)`,
  );
  return lines.join("\n") + "\n";
}

/** The report as JSON, camelCase, lists with their totals. */
export function reportJson(r: CheckReport) {
  const blocking = r.findings.filter((f) => f.severity === "block").length;
  return {
    ready: r.ready,
    database: r.database,
    role: r.role,
    pendingMigrations: r.pending.map((m) => ({ name: m.name, action: m.action, reason: m.why ?? null })),
    pendingCount: r.pending.length,
    problems: r.findings.map((f) => ({
      severity: f.severity,
      topic: f.topic,
      object: f.object,
      column: f.column ?? null,
      ids: f.ids ?? [],
      idCount: f.count ?? f.ids?.length ?? 0,
      problem: f.problem,
      fix: f.fix,
    })),
    blockingCount: blocking,
    warningCount: r.findings.length - blocking,
  };
}
