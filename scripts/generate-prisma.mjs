// Generates the Prisma client without the downloaded schema-engine binary.
// `prisma generate` insists that the binary exists but never runs it, so any
// existing file satisfies it (see ../shared/docs/toolchain-notes.md). Runs as
// npm's `prepare` on `npm ci`, so `npx cost-sync` works right after install.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= process.execPath;
const cli = require.resolve("prisma/build/index.js");
const r = spawnSync(process.execPath, [cli, "generate"], { env, stdio: ["ignore", "pipe", "pipe"] });
if (r.status !== 0) {
  process.stderr.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
