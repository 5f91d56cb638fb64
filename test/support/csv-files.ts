import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A scratch folder of CSV files that share one header: the function returned writes `lines` under the
 * header as `name` in it and returns the file's path.
 */
export function csvFiles(prefix: string, header: string): (name: string, lines: string[]) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name, lines) => {
    const path = join(dir, name);
    writeFileSync(path, [header, ...lines].join("\n") + "\n");
    return path;
  };
}
