import type pg from "pg";
import { withPgClient } from "../infrastructure.js";
import { pgTransaction, splitStatements, type PgQueryable } from "../db/sql.js";
import type { MigrationSource } from "./migration-files.js";

/** A failed migration in PostgreSQL's words. */
export interface MigrationFailure {
  migration: string;
  /** PostgreSQL's message, SQLSTATE, detail and hint. */
  message: string;
  sqlstate?: string;
  detail?: string;
  hint?: string;
  /** The statement PostgreSQL rejected: its position in the migration, line, and first line. */
  statement?: { index: number; line: number; firstLine: string };
  /** Recorded as rolled back, so that the next `migrate` runs it again from the start. */
  rolledBack: boolean;
}

/** `migrate` stopped on a migration: the message says which, why in PostgreSQL's words, and what to do. */
export class MigrationFailedError extends Error {
  override name = "MigrationFailedError";
  constructor(readonly failure: MigrationFailure) {
    super(describe(failure));
  }
}

/** The engine failed before or outside a migration script: its message without WebAssembly frames. */
export class MigrationEngineError extends Error {
  override name = "MigrationEngineError";
}

function describe(f: MigrationFailure): string {
  const lines = [`migration ${f.migration} failed: ${f.message}${f.sqlstate ? ` (SQLSTATE ${f.sqlstate})` : ""}`];
  if (f.statement) {
    lines.push(`  statement ${String(f.statement.index)} (line ${String(f.statement.line)}): ${f.statement.firstLine}`);
  } else lines.push("  statement: not identified (each statement succeeded when run again alone)");
  if (f.detail) lines.push(`  detail: ${f.detail}`);
  if (f.hint) lines.push(`  hint: ${f.hint}`);
  lines.push(
    f.rolledBack
      ? "Nothing of it was applied (it runs as one transaction) and it is recorded as rolled back: fix the cause, then run `cost-sync migrate` again (`cost-sync migrate --check` lists what it can see)."
      : `It is recorded as failed: fix the cause, then \`cost-sync migrate --mark-rolled-back ${f.migration}\` and \`cost-sync migrate\`.`,
  );
  return lines.join("\n");
}

/** What node-postgres gives of a server error. */
interface PgError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
}
const isPgError = (e: unknown): e is PgError =>
  e instanceof Error && typeof (e as { code?: unknown }).code === "string" && "severity" in e;

/**
 * The first line of an engine error, without the WebAssembly frames and span trace that follow.
 * The adapter's "unknown variant" line hides PostgreSQL's class: callers prefer the pg error.
 */
export function engineMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split(/\n\s+at |\n\s+0: /)[0]?.trim() ?? text;
}

/** Statements that end the implicit transaction a script runs in: a migration with one is not atomic. */
const TRANSACTION_CONTROL = /^(BEGIN|COMMIT|END|ROLLBACK|START\s+TRANSACTION|PREPARE\s+TRANSACTION)\b/i;

/** Whether the migration runs as one transaction (no statement of its own commits or rolls back). */
export const isAtomic = (m: MigrationSource): boolean =>
  !splitStatements(m.sql).some((s) => TRANSACTION_CONTROL.test(s.text));

/**
 * Finds the statement PostgreSQL rejects: runs the migration's statements one by one in a
 * transaction that is rolled back, on a dedicated connection, and returns the first failure.
 * The engine's error may hide it; the database is as the failed script left it (untouched).
 */
export async function findRejectedStatement(
  databaseUrl: string,
  m: MigrationSource,
): Promise<{ error: PgError; statement: MigrationFailure["statement"] } | undefined> {
  return withPgClient(databaseUrl, async (c: pg.Client) => {
    const firstRejected = async (tx: PgQueryable) => {
      for (const [i, s] of splitStatements(m.sql).entries()) {
        try {
          await tx.query(s.text);
        } catch (err) {
          if (!isPgError(err)) throw err;
          const firstLine = s.text.split("\n")[0] ?? s.text;
          return { error: err, statement: { index: i + 1, line: s.line, firstLine } };
        }
      }
      return undefined;
    };
    // After a rejected statement the transaction is aborted: only the ROLLBACK is left to run.
    return pgTransaction(c, firstRejected, { lockTimeout: "10s", keep: () => false });
  });
}

/** PostgreSQL's own account of the failure: the re-run's, else the error the script raised, else the engine's. */
export async function explainFailure(o: {
  databaseUrl: string;
  migration: MigrationSource;
  scriptError: unknown;
  engineError: unknown;
}): Promise<Omit<MigrationFailure, "rolledBack">> {
  const found = await findRejectedStatement(o.databaseUrl, o.migration);
  const error = found?.error ?? (isPgError(o.scriptError) ? o.scriptError : undefined);
  return {
    migration: o.migration.name,
    message: error?.message ?? engineMessage(o.engineError),
    sqlstate: error?.code,
    detail: error?.detail,
    hint: error?.hint,
    statement: found?.statement,
  };
}
