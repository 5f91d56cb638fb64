import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A throw-away PostgreSQL cluster with room for 100 clients, for the
 * concurrency figure when the machine's server allows fewer connections
 * (max_connections = 100 here). Same major version and binaries as the server.
 */
export interface PrivateCluster {
  url: string;
  stop(): void;
}

export function startPrivateCluster(maxConnections = 150): PrivateCluster | undefined {
  const base = "/usr/lib/postgresql";
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  if (!version) return undefined;
  const bin = path.join(base, version, "bin");
  const dir = mkdtempSync(path.join(tmpdir(), "cs-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = 20000 + Math.floor(Math.random() * 20000);
  // initdb refuses to run as root: run the server as the postgres user.
  const asPostgres = process.getuid?.() === 0;
  const run = ([program, ...args]: [string, ...string[]]) => {
    const r = asPostgres
      ? spawnSync("runuser", ["-u", "postgres", "--", program, ...args], { encoding: "utf8" })
      : spawnSync(program, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${[program, ...args].join(" ")}: ${r.stderr || r.stdout}`);
  };
  run([path.join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  run([
    path.join(bin, "pg_ctl"),
    "-D",
    data,
    "-w",
    "-l",
    path.join(dir, "log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${maxConnections} -c fsync=off -c shared_buffers=128MB`,
    "start",
  ]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      run([path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
