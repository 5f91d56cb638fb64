import type { Config } from "../config/env.js";

/**
 * The shape of a CLI command (docs/cli.md). `help` and `run` are all a command needs; the other
 * fields feed `cost-sync <command> --help` and get defaults when absent, so a command registered
 * as `{ help, run }` keeps working.
 */

/** One flag: what `parse()` accepts, and what `--help` says about it. */
export interface FlagSpec {
  type: "boolean" | "string";
  short?: string;
  /** One line for `--help`. */
  help?: string;
  /** The placeholder of a string flag's value in `--help` (`--limit N`). */
  value?: string;
}

export type Flags = Record<string, FlagSpec>;

/** What a command may use beyond stdout: stderr (progress, prompts) and stdin (confirmations). */
export interface CliIo {
  err: NodeJS.WritableStream;
  input: NodeJS.ReadableStream;
}

export type Command = (cfg: Config, args: string[], out: NodeJS.WritableStream, io: CliIo) => Promise<number>;

/** What `--help` shows about a command; every field but `help` is optional. */
export interface CommandHelp {
  /** One line: the command list's entry. */
  help: string;
  /** Invocations without the leading `cost-sync` (default: `<name> [arguments] [flags]`). */
  usage?: readonly string[];
  /** A paragraph or two after the usage. */
  description?: string;
  /** `<id>`-style arguments and what they take. */
  arguments?: Readonly<Record<string, string>>;
  /** The flags `run` parses: pass the same object to `parse()`, so the help cannot drift from it. */
  flags?: Flags;
  /** Subcommands with their own flags: `<command> <sub> --help` shows the subcommand's help. */
  subcommands?: Readonly<Record<string, CommandHelp>>;
}

export interface CommandSpec extends CommandHelp {
  run: Command;
}

export type Commands = Record<string, CommandSpec>;

/** `--json`: the same data as the text, as JSON with camelCase keys. */
export const JSON_FLAG = { json: { type: "boolean", help: "print the data as JSON (camelCase keys)" } } as const;

/** `--wide`: tables show every cell in full instead of fitting the terminal. */
export const WIDE_FLAG = {
  wide: { type: "boolean", help: "do not truncate table cells to the terminal width" },
} as const;

/** `--yes`: confirms a change without a prompt (required when stdin is not a terminal). */
export const YES_FLAG = {
  yes: { type: "boolean", short: "y", help: "confirm without a prompt (needed when stdin is not a terminal)" },
} as const;

/** Whether a stream is a terminal (stdin, stdout, stderr). */
export const isTty = (s: NodeJS.ReadableStream | NodeJS.WritableStream): boolean =>
  (s as { isTTY?: boolean }).isTTY === true;
