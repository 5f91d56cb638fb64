import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The design document: the shared original when present, else the copy kept in docs/seed. */
const CANDIDATES = [
  path.resolve(here, "../../../shared/seed/database-migration-guide.md"),
  path.resolve(here, "../../docs/seed/database-migration-guide.md"),
];

export function seedDocument(): string {
  const file = CANDIDATES.find((f) => existsSync(f));
  if (!file) throw new Error("database-migration-guide.md not found");
  return readFileSync(file, "utf8");
}

/** The statements of the first ```sql block after the bold heading `**<title>:**`, verbatim. */
export function seedQueries(title: string): string[] {
  const doc = seedDocument();
  const at = doc.indexOf(`**${title}:**`);
  if (at < 0) throw new Error(`section ${title} not in the seed document`);
  const start = doc.indexOf("```sql", at);
  const end = doc.indexOf("```", start + 6);
  return doc
    .slice(start + 6, end)
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, "").trim().length > 0);
}
