/** A bad command-line argument: printed as is, exit code 2, nothing written. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
