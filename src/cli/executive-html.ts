import { statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config/env.js";
import { renderExecutivePage } from "../reports/executive-page.js";
import { executivePageData } from "../services/executive/page-data.js";
import { clean } from "./output.js";
import { withSession } from "../runtime.js";
import { EXIT, UsageError } from "./usage-error.js";

/** Why a file cannot be written, in plain words, from the error's code. */
export function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "its directory does not exist";
    case "ENOTDIR":
      return "a part of its path is not a directory";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    default:
      return (err as Error).message;
  }
}

/** Refuses a FILE that cannot be written before anything is read: its directory must exist, and it must not be one. */
export function checkTarget(file: string): string {
  const path = resolve(file);
  const dir = dirname(path);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new UsageError(`cannot write ${clean(file)}: ${why(err)} (${clean(dir)})`);
  }
  if (!isDir) throw new UsageError(`cannot write ${clean(file)}: ${clean(dir)} is not a directory`);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`cannot write ${clean(file)}: it is a directory`);
  return path;
}

/** `report executive --html FILE`: the executive page, self-contained, written to FILE. */
export async function writeExecutiveHtml(cfg: Config, file: string, out: NodeJS.WritableStream): Promise<number> {
  if (file === "") throw new UsageError("flag --html needs a file name");
  const path = checkTarget(file);
  return withSession(cfg, async (s) => {
    const data = await executivePageData(s.db);
    const html = renderExecutivePage(data);
    try {
      writeFileSync(path, html);
    } catch (err) {
      throw new UsageError(`cannot write ${clean(file)}: ${why(err)}`);
    }
    const trend = data.trend ? `${String(data.trend.length)} closed month(s)` : "no trend yet";
    out.write(
      `wrote ${clean(path)} (${String(Buffer.byteLength(html))} bytes; ${String(data.tenants.length)} tenant(s), ${trend}); ` +
        `internal cost modelling, not billing.\n`,
    );
    return EXIT.ok;
  });
}
