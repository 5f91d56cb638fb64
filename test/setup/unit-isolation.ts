import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

/**
 * The unit project's promise, kept by force: a `.unit.test.ts` file opens no socket (PostgreSQL,
 * Redis, HTTP servers) and starts no process. Anything that tries throws, naming this rule, so a
 * spec that needs either is renamed to `.test.ts` (the integration project) instead of slowing
 * down the fast specs. undici's MockAgent and in-memory fakes never reach these functions.
 */
export class UnitIsolationError extends Error {
  override name = "UnitIsolationError";
}

const refuse = (what: string) => () => {
  throw new UnitIsolationError(
    `${what} in a unit spec: unit specs touch no database, Redis, network or process; name the file *.test.ts (integration project)`,
  );
};

net.Socket.prototype.connect = refuse("a socket connection");
net.Server.prototype.listen = refuse("a listening server");
for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const)
  Object.assign(childProcess, { [name]: refuse(`child_process.${name}`) });
// `import { spawn } from "node:child_process"` reads the ESM view of the module: bring it up to date.
syncBuiltinESMExports();
