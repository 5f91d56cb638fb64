import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** prisma/migrations, found from this file so the CLI works from any cwd. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");

export interface MigrationSource {
  name: string;
  sql: string;
}

/** Reads every `<timestamp>_<name>/migration.sql`, in name (= time) order. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationSource[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(path.join(dir, name, "migration.sql"), "utf8") })),
  );
}
