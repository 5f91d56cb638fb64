import { userInfo } from "node:os";
import { ConfigError } from "../config/env.js";
import { MAX_REASON } from "./args.js";
import { clean } from "./output.js";
import { UsageError } from "./usage-error.js";

/** The longest operator name recorded (a login or a short label, never a paragraph). */
const MAX_OPERATOR = 64;

/**
 * Who is making a change from this terminal: COST_SYNC_OPERATOR when set (a shared account, a
 * script), else the OS user. A name that cannot be recorded is a configuration error.
 */
export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.COST_SYNC_OPERATOR?.trim();
  if (given) {
    if (given.length > MAX_OPERATOR || clean(given) !== given)
      throw new ConfigError([
        { variable: "COST_SYNC_OPERATOR", message: `must be at most ${MAX_OPERATOR} printable characters` },
      ]);
    return given;
  }
  try {
    return userInfo().username || "unknown";
  } catch {
    // A container user without a passwd entry has no name to give.
    return env.USER ?? "unknown";
  }
}

/**
 * A reason with its author: `contract #42 (by alice)`, within what reasons may hold (the jobs'
 * payloads take 300 characters), checked before anything is written.
 */
export function signedReason(reason: string, operator: string): string {
  const suffix = ` (by ${operator})`;
  if (reason.length + suffix.length > MAX_REASON)
    throw new UsageError(
      `--reason must be at most ${MAX_REASON - suffix.length} characters here (${MAX_REASON} with "${suffix.trim()}"), got ${reason.length}`,
    );
  return reason + suffix;
}
