import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { devCommands } from "../dev/commands.js";
import { Capture } from "./support/cli-streams.js";
import { runCli } from "./support/worker-process.js";

/** No DATABASE_URL, no REDIS_URL: help and the version must not need any configuration. */
const NO_CONFIG: Record<string, string> = {};

async function inProcess(args: string[]) {
  const out = new Capture();
  const err = new Capture();
  const code = await main(args, { out, err, env: NO_CONFIG, devCommands });
  return { code, stdout: out.text, stderr: err.text };
}

describe("cost-sync help, version and suggestions", { timeout: 60_000 }, () => {
  it("prints help for the CLI and for a command without any configuration (real process)", async () => {
    const top = await runCli(["--help"], NO_CONFIG);
    expect(top).toMatchObject({ code: 0, stderr: "" });
    expect(top.stdout).toMatch(/^Usage:\n {2}cost-sync <command> \[arguments\] \[flags\]$/m);
    expect(top.stdout).toMatch(/^ {2}demo /m); // the development checkout's commands are listed too
    const sync = await runCli(["sync", "vps", "--help"], NO_CONFIG);
    expect(sync).toMatchObject({ code: 0, stderr: "" });
    expect(sync.stdout).toContain("cost-sync sync vps <id> [--wait] [--json]");
    expect(sync.stdout).toMatch(/--upgrade-to <rid> +price the instance at plan <rid>/);
    const version = await runCli(["--version"], NO_CONFIG);
    expect(version).toMatchObject({ code: 0, stdout: "cost-sync 0.1.0\n" });
  });

  it("answers an unknown command with the closest one, on stderr, exit 2 (real process)", async () => {
    const r = await runCli(["stauts"], NO_CONFIG);
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toContain('cost-sync: unknown command "stauts" (did you mean status?)');
  });

  it("gives every command a usage, its flags and -h, through --help, -h and help <command>", async () => {
    const names = [...(await inProcess(["--help"])).stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(
      expect.arrayContaining(["migrate", "sync", "status", "config", "override", "report", "demo"]),
    );
    for (const name of names) {
      const viaFlag = await inProcess([name, "--help"]);
      expect(viaFlag.code, name).toBe(0);
      expect(viaFlag.stdout, name).toMatch(new RegExp(`^ {2}cost-sync ${name}`, "m"));
      expect(viaFlag.stdout, name).toMatch(/^ {2}-h, --help +show this help$/m);
      expect(await inProcess([name, "-h"]), name).toEqual(viaFlag);
      expect(await inProcess(["help", name]), name).toEqual(viaFlag);
    }
    expect((await inProcess(["status", "--help"])).stdout).toMatch(/--json +print the data as JSON \(camelCase keys\)/);
    expect((await inProcess(["override", "--help"])).stdout).toMatch(/<id> +a VPS uuid or its Hostwinds serviceid/);
  });

  it("shows help with no command, and refuses help for an unknown one", async () => {
    expect(await inProcess([])).toMatchObject({ code: 0, stderr: "" });
    expect(await inProcess(["-h"])).toEqual(await inProcess(["help"]));
    const unknown = await inProcess(["help", "reconcil"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toContain('unknown command "reconcil" (did you mean reconcile?)');
    const flag = await inProcess(["--verison"]);
    expect(flag).toMatchObject({ code: 2, stdout: "" });
    expect(flag.stderr).toContain("unknown flag --verison (did you mean --version?)");
  });

  it("refuses arguments the demo does not take, before touching any database", async () => {
    const r = await inProcess(["demo", "now"]);
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toContain("cost-sync demo: unexpected argument: now");
  });

  it("still needs its configuration to run a command", async () => {
    const r = await inProcess(["status"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATABASE_URL: is required/);
  });
});
