import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { notePgDeprecationsIn } from "./pg-deprecations.js";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cost-sync.mjs");
/** The production entry (compiled dist/, no tsx loader): what the Docker image runs. */
export const COMPILED_BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../bin/cost-sync-compiled.mjs",
);

export interface WorkerProcess {
  child: ChildProcess;
  opsUrl: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `cost-sync worker` as a real process; resolves once its ops port is up. */
export async function spawnWorker(env: Record<string, string>, bin = BIN): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bin, "worker"], {
    env: { PATH: process.env.PATH, LOG_LEVEL: "info", OPS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      notePgDeprecationsIn(stderr.join(""), `cost-sync worker (pid ${String(child.pid)})`);
      resolve({ code, signal });
    }),
  );
  child.stderr.on("data", (d: Buffer) => stderr.push(d.toString()));
  const opsUrl = await new Promise<string>((resolve, reject) => {
    // A bound for a loaded machine (the process compiles TypeScript as it starts), not a speed target.
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${stderr.join("")}`)), 60_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout.push(d.toString());
      const m = /ops on (http:\/\/\S+)/.exec(stdout.join(""));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`worker exited early:\n${stderr.join("")}`)));
  });
  return { child, opsUrl, stdout, stderr, exited };
}

/** Runs one CLI command to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A CLI that hangs is killed after 60 s (exit code null: the test fails) instead of outliving the run.
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("exit", (code) => {
      notePgDeprecationsIn(stderr, `cost-sync ${args.join(" ")}`);
      resolve({ code, stdout, stderr });
    });
  });
}
