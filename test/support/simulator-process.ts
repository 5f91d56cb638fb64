import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cost-sync.mjs");

export interface SimulatorProcess {
  child: ChildProcess;
  url: string;
  key: string;
  /** Stops it (SIGTERM) and waits for its exit code. */
  stop(): Promise<number | null>;
}

/** Runs `cost-sync simulator …` as a real process; resolves once it has printed its URL and key. */
export async function spawnSimulator(args: string[]): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [BIN, "simulator", ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const { url, key } = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${stderr}`)), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const url = /HOSTWINDS_API_URL=(\S+)/.exec(stdout)?.[1];
      const key = /HOSTWINDS_API_KEY=(\S+)/.exec(stdout)?.[1];
      if (url && key) {
        clearTimeout(timer);
        resolve({ url, key });
      }
    });
    void exited.then(() => reject(new Error(`simulator exited early:\n${stdout}${stderr}`)));
  });
  return {
    child,
    url,
    key,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
