import { writeFileSync } from "node:fs";
import type { Config } from "../config/env.js";
import { buildDigest } from "../services/digest/digest.js";
import { digestHtml, digestJson, digestMarkdown } from "../services/digest/digest-text.js";
import { durationArg } from "./args.js";
import { checkTarget, why } from "./executive-html.js";
import { clean, printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { EXIT, UsageError } from "./usage-error.js";

/** The flags only `report digest` takes (its whole spec is in report-specs.ts). */
export const DIGEST_FLAGS = {
  since: {
    type: "string",
    value: "PERIOD",
    help: "the period back from now (36h, 7d, 2w); default since the last digest posted, else 7d",
  },
  markdown: { type: "boolean", help: "print Markdown (as the weekly job posts it)" },
} as const;

/**
 * `report digest [--since 7d] [--markdown|--html FILE|--json]`: what changed since the last digest.
 * Reads only: the weekly job records the digests it posts.
 */
export async function digestReport(
  cfg: Config,
  v: { since?: string; markdown?: boolean; html?: string; json?: boolean },
  out: NodeJS.WritableStream,
): Promise<number> {
  const sinceMs = v.since === undefined ? undefined : durationArg(v.since, "--since");
  if ([v.json, v.markdown, v.html !== undefined].filter(Boolean).length > 1)
    throw new UsageError("choose one of --markdown, --html and --json");
  if (v.html === "") throw new UsageError("flag --html needs a file name");
  const path = v.html === undefined ? undefined : checkTarget(v.html);
  return withSession(cfg, async (s) => {
    const d = await buildDigest(s.db, { sinceMs });
    if (v.json) printJson(out, digestJson(d));
    else if (path === undefined || v.html === undefined) out.write(digestMarkdown(d));
    else {
      const html = digestHtml(d);
      try {
        writeFileSync(path, html);
      } catch (err) {
        throw new UsageError(`cannot write ${clean(v.html)}: ${why(err)}`);
      }
      out.write(
        `wrote ${clean(path)} (${String(Buffer.byteLength(html))} bytes); internal cost modelling, not billing.\n`,
      );
    }
    return EXIT.ok;
  });
}
