import { readFileSync } from "node:fs";
import type { CommandHelp, Commands, Flags } from "./spec.js";

/**
 * The help texts (`cost-sync --help`, `cost-sync <command> --help`, `cost-sync help <command>`),
 * written from the command specs: they need no configuration and go to stdout.
 */

/** The flags every command takes, whatever its spec says. */
const HELP_FLAG: Flags = { help: { type: "boolean", short: "h", help: "show this help" } };

/** Aligned two-column lines: a term and what it means. */
function columns(rows: readonly [string, string][], indent = "  "): string {
  const width = Math.max(0, ...rows.map(([term]) => term.length));
  return rows.map(([term, text]) => `${indent}${term.padEnd(width)}  ${text}`.trimEnd()).join("\n");
}

function flagRows(flags: Flags): [string, string][] {
  return Object.entries({ ...flags, ...HELP_FLAG }).map(([name, f]) => {
    const value = f.type === "string" ? ` ${f.value ?? "<value>"}` : "";
    return [`${f.short ? `-${f.short}, ` : "    "}--${name}${value}`, f.help ?? ""];
  });
}

/** `cost-sync <name> --help`. */
export function commandHelp(name: string, spec: CommandHelp): string {
  const usage = spec.usage ?? [`${name} [arguments] [flags]`];
  const parts = [
    `${spec.help}\n`,
    `Usage:\n${usage.map((u) => `  cost-sync ${u}`).join("\n")}\n`,
    spec.description ? `${spec.description.trim()}\n` : "",
    spec.arguments ? `Arguments:\n${columns(Object.entries(spec.arguments))}\n` : "",
    `Flags:\n${columns(flagRows(spec.flags ?? {}))}\n`,
    `Exit codes: 0 ok, 1 failure, 2 bad usage (nothing written). More: docs/cli.md\n`,
  ];
  return parts.filter(Boolean).join("\n");
}

/** `cost-sync --help`: every command with its one line. */
export function topHelp(commands: Commands): string {
  return [
    "cost-sync keeps PenguinMails' internal model of Hostwinds cost true (internal modelling, not billing).\n",
    "Usage:\n  cost-sync <command> [arguments] [flags]\n",
    `Commands:\n${columns(Object.entries(commands).map(([name, c]) => [name, c.help]))}\n`,
    `Flags:\n${columns([
      ["-h, --help", "show help for cost-sync, or for a command after its name"],
      ["-v, --version", "print the version"],
    ])}\n`,
    "Run `cost-sync <command> --help` (or `cost-sync help <command>`) for a command's arguments and flags.",
    "Exit codes: 0 ok, 1 failure (configuration, unreachable service, failed check), 2 bad usage.\n",
  ].join("\n");
}

/** The package's version, read from package.json next to src/ (or dist/ in the image). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

/** Whether `args` asks for help: `-h` or `--help` before a `--` terminator. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}
