/** What pg's deprecation warnings say: every one ends in "will be removed in pg@9.0". */
export const PG_DEPRECATION = /will be removed in pg@9\.0/;

const seen: Error[] = [];
process.on("warning", (w) => {
  if (PG_DEPRECATION.test(w.message)) seen.push(w);
});

/**
 * Records the pg deprecation warnings a child process (a CLI or worker the test started) printed on
 * its stderr, so that the guard fails the test as it does for this process's own.
 */
export function notePgDeprecationsIn(stderr: string, what: string): void {
  for (const line of stderr.split("\n"))
    if (PG_DEPRECATION.test(line)) seen.push(new Error(`${what} printed: ${line.trim()}`));
}

/** The pg deprecation warnings seen since the last call, removed from the record. */
export function takePgDeprecations(): Error[] {
  return seen.splice(0);
}

/** Throws, naming each, when pg printed a deprecation warning since the last check (test/setup/pg-deprecation-guard.ts). */
export function failOnPgDeprecations(): void {
  const seen = takePgDeprecations();
  if (seen.length > 0)
    throw new Error(
      `pg printed a deprecation warning, a bug that pg@9 makes an error:\n${seen.map((w) => w.stack ?? w.message).join("\n")}`,
    );
}
