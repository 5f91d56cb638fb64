import type { Db, SqlRunner } from "./client.js";
import { execute, pgTransaction, statement } from "./sql.js";

const JIT_OFF = statement("session/jit-off");

/** Turns JIT compilation off for the rest of the transaction `tx` (see session/jit-off.sql). */
export async function jitOff(tx: SqlRunner): Promise<void> {
  await execute(tx, JIT_OFF, {});
}

/**
 * Reads in one read-only transaction without JIT compilation: for fleet-wide statements whose
 * planned cost makes PostgreSQL spend longer compiling them than running them. One snapshot.
 */
export function readWithoutJit<T>(db: Db, fn: (tx: SqlRunner) => Promise<T>, timeoutMs = 120_000): Promise<T> {
  return pgTransaction(
    db,
    async (tx) => {
      await jitOff(tx);
      return fn(tx);
    },
    { readOnly: true, timeout: timeoutMs, maxWait: 60_000 },
  );
}
