import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: promtool resolves the paths it is given (and rule_files) from here. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** promtool from Debian's `prometheus` package, or the first one on PATH; undefined when there is none. */
export function findPromtool(): string | undefined {
  const dirs = ["/usr/bin", ...(process.env.PATH ?? "").split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const path = join(dir, "promtool");
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The line a test prints when it skips a promtool check, so a skipped check is never mistaken for a passed one. */
export const skippedLine = (what: string) =>
  `SKIPPED promtool ${what}: promtool not installed (apt-get install prometheus; .ci/run does it)`;

export interface PromtoolResult {
  status: number | null;
  /** stdout and stderr together: promtool prints lint findings on stderr and successes on stdout. */
  output: string;
}

/** Runs promtool with `args` (and `input` on stdin), from the repository root. */
export function runPromtool(promtool: string, args: string[], input?: string): PromtoolResult {
  const r = spawnSync(promtool, args, { input, encoding: "utf8", timeout: 60_000, cwd: REPO_ROOT });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
