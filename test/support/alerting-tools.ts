import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { createServer, type IncomingMessage, type Server } from "node:http";

/** Debian's `prometheus` and `prometheus-alertmanager` binaries, or undefined when either is missing. */
export function findAlertingTools(): { prometheus: string; alertmanager: string } | undefined {
  const first = (paths: string[]) =>
    paths.find((p) => {
      try {
        accessSync(p, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const prometheus = first(["/usr/bin/prometheus", "/usr/local/bin/prometheus"]);
  const alertmanager = first([
    "/usr/bin/prometheus-alertmanager",
    "/usr/bin/alertmanager",
    "/usr/local/bin/alertmanager",
  ]);
  return prometheus && alertmanager ? { prometheus, alertmanager } : undefined;
}

/** A free loopback port (asked of the kernel, then released for the tool to bind). */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A started tool: its output so far, and a stop that waits for it to exit. */
export interface ToolProcess {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function startTool(bin: string, args: string[]): ToolProcess {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr.on("data", (d: Buffer) => (text += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** An HTTP receiver on loopback that keeps every JSON body POSTed to it. */
export async function startReceiver(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(raw));
      } catch {
        bodies.push(raw);
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` every 250 ms until it returns a value, or throws after `ms` with `what` and `context()`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => T | undefined,
  context: () => string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
