import { readFileSync } from "node:fs";
import type { Db, SqlRunner } from "./client.js";

/** Named parameters of a statement: `:name` in its file. */
export type Params = Record<string, unknown>;

/** The parameters of a statement that takes none. */
export type NoParams = Record<string, never>;

/**
 * A fixed statement kept in a `.sql` file under `src/db/queries/` (docs/architecture.md, "Data layer"):
 * reviewers read the SQL as it runs. Parameters are written `:name` and bound by name, so a
 * statement's call site cannot pass them in the wrong order. `::type` casts are left alone.
 */
export interface Statement<P extends Params = NoParams, R = Record<string, unknown>> {
  readonly name: string;
  /** The text sent to PostgreSQL, with `$1..$n` in place of the names. */
  readonly text: string;
  /** Parameter names in `$n` order. */
  readonly names: readonly (keyof P & string)[];
  /** Phantom: the row type, so that `query` infers it. */
  readonly row?: R;
}

const QUERIES = new URL("./queries/", import.meta.url);
const INCLUDES = new URL("include/", QUERIES);

/**
 * Loads `src/db/queries/<name>.sql` once, at import, with its includes: a missing file fails the
 * start, not a job.
 */
export function statement<P extends Params = NoParams, R = Record<string, unknown>>(
  name: string,
  root: URL = QUERIES,
): Statement<P, R> {
  return statementFrom<P, R>(name, withIncludes(readFileSync(new URL(`${name}.sql`, root), "utf8")));
}

/**
 * Resolves `/* @include name *\/` in a statement's source: the comment is replaced by the text of
 * `src/db/queries/include/<name>.sql` (its own leading `--` comments dropped, its includes resolved
 * in turn). This is how statements share a block of SQL (the cost writes' history and anomaly CTEs,
 * the IP rule) and each still reads, and is PREPAREd, as one statement. A fragment's `:name`
 * parameters are the including statement's. An unknown name or an include cycle throws.
 */
export function withIncludes(
  source: string,
  read: (name: string) => string = (name) => readFileSync(new URL(`${name}.sql`, INCLUDES), "utf8"),
  within: readonly string[] = [],
): string {
  return source.replace(/\/\*\s*@include\s+([\w/-]+)\s*\*\//g, (_, name: string) => {
    if (within.includes(name)) throw new Error(`include cycle: ${[...within, name].join(" -> ")}`);
    const fragment = read(name)
      .replace(/^(\s*--[^\n]*\n)*/, "")
      .trim();
    return withIncludes(fragment, read, [...within, name]);
  });
}

/**
 * A statement whose text the code assembles (an identifier no parameter can stand for, from a fixed
 * list): for the few checks that run on tables named at run time. Everything else is a `.sql` file.
 */
export function statementFrom<P extends Params = NoParams, R = Record<string, unknown>>(
  name: string,
  source: string,
): Statement<P, R> {
  const { text, names } = compile(source);
  return { name, text, names };
}

/**
 * Where a statement runs: the Prisma client or one of its transactions, or a node-postgres client or
 * pool (a dedicated session: LISTEN, the migrator's advisory lock, the invoice import's temporary
 * tables and COPY). The rows are each driver's: through Prisma numeric comes back as Decimal and
 * bigint as BigInt, through pg both as strings; a caller keeps the runner whose values it reads.
 */
export type Runner = SqlRunner | PgQueryable;

const isPrisma = (db: Runner): db is SqlRunner => "$queryRawUnsafe" in db;

/** Runs a statement that returns rows (through Prisma, its PrismaPromise as it was). */
export function query<P extends Params, R>(db: Runner, s: Statement<P, R>, params: P): Promise<R[]> {
  if (isPrisma(db)) return db.$queryRawUnsafe<R[]>(s.text, ...bind(s, params));
  // The rows are what the statement declares they are, as through Prisma.
  return db.query(s.text, bind(s, params)).then((r) => r.rows as R[]);
}

/** Runs a statement and returns how many rows it changed. */
export function execute<P extends Params, R>(db: Runner, s: Statement<P, R>, params: P): Promise<number> {
  if (isPrisma(db)) return db.$executeRawUnsafe(s.text, ...bind(s, params));
  return db.query(s.text, bind(s, params)).then((r) => r.rowCount ?? 0);
}

/**
 * Runs a statement on a pg connection and returns its rows with its columns in order, which an empty
 * result still has (a report's header); Prisma's raw queries do not give them.
 */
export async function queryWithColumns<P extends Params, R>(
  pg: PgQueryable,
  s: Statement<P, R>,
  params: P,
): Promise<{ rows: R[]; columns: string[] }> {
  const r = await pg.query(s.text, bind(s, params));
  return { rows: r.rows as R[], columns: r.fields.map((f) => f.name) };
}

function bind<P extends Params, R>(s: Statement<P, R>, params: P): unknown[] {
  return s.names.map((n) => {
    if (!(n in params)) throw new Error(`statement ${s.name}: parameter :${n} not given`);
    return params[n];
  });
}

/**
 * Replaces `:name` with `$n`, skipping string literals, quoted identifiers, comments and
 * dollar-quoted bodies, where a colon is just text. The same name always gets the same number.
 */
export function compile(source: string): { text: string; names: string[] } {
  const names: string[] = [];
  let out = "";
  let i = 0;
  while (i < source.length) {
    const skip = skipInert(source, i);
    if (skip > i) {
      out += source.slice(i, skip);
      i = skip;
      continue;
    }
    const param = /^:([a-zA-Z][a-zA-Z0-9_]*)/.exec(source.slice(i, i + 64));
    const prev = source[i - 1] ?? "";
    if (param && prev !== ":" && !/[\w]/.test(prev)) {
      const name = param[1] ?? "";
      let n = names.indexOf(name);
      if (n < 0) n = names.push(name) - 1;
      out += `$${String(n + 1)}`;
      i += param[0].length;
      continue;
    }
    out += source.charAt(i);
    i++;
  }
  return { text: out.trim(), names };
}

/** One statement of a script, and the line of the script it starts on (1-based). */
export interface ScriptStatement {
  text: string;
  line: number;
}

/**
 * Splits a script into its statements at the semicolons that end them, not those inside strings,
 * quoted identifiers, comments or dollar-quoted bodies (DO blocks, functions). Comments before a
 * statement are dropped; a script of comments alone has no statement.
 */
export function splitStatements(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const lead = /^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/.exec(raw)?.[0] ?? "";
    const text = raw.slice(lead.length).trim();
    if (text) statements.push({ text, line: script.slice(0, start + lead.length).split("\n").length });
  };
  while (i < script.length) {
    const skip = skipInert(script, i);
    if (skip > i) {
      i = skip;
    } else if (script[i] === ";") {
      push(i);
      start = ++i;
    } else i++;
  }
  push(script.length);
  return statements;
}

/** The end of a string, quoted identifier, comment or dollar-quoted body starting at `i`; `i` if none starts there. */
function skipInert(s: string, i: number): number {
  const two = s.slice(i, i + 2);
  if (two === "--") return endOf(s, "\n", i + 2);
  if (two === "/*") return endOf(s, "*/", i + 2);
  const c = s[i];
  if (c === "'" || c === '"') return endOf(s, c, i + 1);
  if (c === "$") {
    const tag = /^\$[a-zA-Z_]*\$/.exec(s.slice(i, i + 64))?.[0];
    if (tag) return endOf(s, tag, i + tag.length);
  }
  return i;
}

function endOf(s: string, close: string, from: number): number {
  const at = s.indexOf(close, from);
  return at < 0 ? s.length : at + close.length;
}

/** What node-postgres clients and pools have in common: enough to run a statement. */
export interface PgQueryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount: number | null; fields: { name: string }[] }>;
}

/** What a transaction may ask for. */
export interface TransactionOptions<T> {
  /** BEGIN TRANSACTION READ ONLY. */
  readOnly?: boolean;
  /** SET LOCAL lock_timeout: a transaction that must not wait behind an ALTER fails instead of hanging. */
  lockTimeout?: "10s";
  /** Whether to COMMIT what `fn` did, given its result; ROLLBACK when false (the result is still returned). */
  keep?: (result: T) => boolean;
  isolation?: "RepeatableRead";
  /** On the Prisma client only, which takes a connection from its pool: how long the transaction may
   *  run and may wait for a connection (Prisma's defaults: 5 s and 2 s). */
  timeout?: number;
  maxWait?: number;
}

/** Thrown inside a Prisma transaction to roll it back when `keep` says so; carries the result out. */
class KeepNothing<T> extends Error {
  constructor(readonly result: T) {
    super("rolled back: keep() said so");
  }
}

/**
 * The one way to run a transaction, on a node-postgres connection (a pooled client or a dedicated
 * one: a transaction needs a single session) or on the Prisma client (which holds one of its pool's
 * connections for it): BEGIN with the options asked, `fn`, then COMMIT unless `keep` says to roll
 * back what `fn` did. A throw rolls back and is rethrown as it was (a failing ROLLBACK does not hide it).
 */
export function pgTransaction<T>(db: Db, fn: (tx: SqlRunner) => Promise<T>, o?: TransactionOptions<T>): Promise<T>;
export function pgTransaction<T>(
  pg: PgQueryable,
  fn: (tx: PgQueryable) => Promise<T>,
  o?: TransactionOptions<T>,
): Promise<T>;
export function pgTransaction<T>(
  conn: Db | PgQueryable,
  fn: ((tx: SqlRunner) => Promise<T>) | ((tx: PgQueryable) => Promise<T>),
  o: TransactionOptions<T> = {},
): Promise<T> {
  // The overloads pair each connection with the function that takes it.
  return "$transaction" in conn
    ? prismaTransaction(conn, fn as (tx: SqlRunner) => Promise<T>, o)
    : connectionTransaction(conn, fn as (tx: PgQueryable) => Promise<T>, o);
}

async function connectionTransaction<T>(
  pg: PgQueryable,
  fn: (tx: PgQueryable) => Promise<T>,
  o: TransactionOptions<T>,
): Promise<T> {
  const isolation = o.isolation ? " ISOLATION LEVEL REPEATABLE READ" : "";
  await pg.query(`BEGIN TRANSACTION${isolation}${o.readOnly ? " READ ONLY" : ""}`);
  let result: T;
  try {
    if (o.lockTimeout) await pg.query(`SET LOCAL lock_timeout = '${o.lockTimeout}'`);
    result = await fn(pg);
  } catch (err) {
    await pg.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
  await pg.query(o.keep === undefined || o.keep(result) ? "COMMIT" : "ROLLBACK");
  return result;
}

async function prismaTransaction<T>(db: Db, fn: (tx: SqlRunner) => Promise<T>, o: TransactionOptions<T>): Promise<T> {
  const limits = {
    ...(o.isolation ? { isolationLevel: o.isolation } : {}),
    ...(o.timeout === undefined ? {} : { timeout: o.timeout }),
    ...(o.maxWait === undefined ? {} : { maxWait: o.maxWait }),
  };
  try {
    return await db.$transaction(async (tx) => {
      if (o.readOnly) await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      if (o.lockTimeout) await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${o.lockTimeout}'`);
      const result = await fn(tx);
      if (o.keep !== undefined && !o.keep(result)) throw new KeepNothing(result);
      return result;
    }, limits);
  } catch (err) {
    if (err instanceof KeepNothing) return err.result as T;
    throw err;
  }
}
