// `npm run build`: compiles src/ to dist/ (the production tree: no simulator, no demo) and copies
// the data layer's .sql files beside the compiled repositories that load them, and the schema snapshot
// beside the migrator that reads it.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
rmSync("dist", { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync("src/db/queries", "dist/db/queries", { recursive: true });
cpSync("src/migrator/snapshot/schema-snapshot.json", "dist/migrator/snapshot/schema-snapshot.json");
