import { createInterface } from "node:readline/promises";
import { isTty, type CliIo } from "./spec.js";
import { UsageError } from "./usage-error.js";

/**
 * Asks before a change that matters: a prompt on a terminal, `--yes` otherwise (a script, a pipe,
 * CI). Without either, the command stops with exit 2 and nothing written.
 */
export async function confirm(io: CliIo, o: { yes: boolean; question: string; what: string }): Promise<boolean> {
  if (o.yes) return true;
  if (!isTty(io.input)) throw new UsageError(`${o.what} needs --yes when stdin is not a terminal; nothing was changed`);
  const rl = createInterface({ input: io.input, output: io.err });
  try {
    const answer = await rl.question(`${o.question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
