import type { Config } from "../config/env.js";
import { cappedCount } from "../capped-list.js";
import { intArg, kindArg, noArgs, parse, resourceArg } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { resourceHistory } from "../services/cost-history.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT } from "./usage-error.js";

export const HISTORY_HELP = {
  help: "the cost history of a VPS or an IP, newest first, with source, reason, job and who",
  usage: ["history vps|ip <id> [--limit N] [--json] [--wide]"],
  arguments: { "<id>": "a VPS uuid or its Hostwinds serviceid (digits); an IP uuid" },
  flags: {
    limit: { type: "string", value: "N", help: "show the newest N changes (default 20, at most 1000)" },
    ...JSON_FLAG,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

/** `history vps|ip <id> [--limit N]`. */
export async function historyCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, HISTORY_HELP.flags);
  const [rawKind, rawId, ...extra] = positionals;
  const kind = kindArg(rawKind);
  noArgs(extra);
  const limit = intArg(values.limit, { flag: "--limit", min: 1, max: 1000, fallback: 20 });
  return withSession(cfg, async (s) => {
    const { id, history } = await resourceHistory(
      { db: s.db, lookup: s.repos.lookup },
      resourceArg(kind, rawId),
      limit,
    );
    if (values.json) printJson(out, { kind, id, history });
    else {
      out.write(`${clean(`${kind} ${id}`)}: ${cappedCount(history)} change(s), newest first\n`);
      if (history.total)
        out.write(render(history.shown, "table", undefined, { maxWidth: tableWidth(out, values.wide) }));
    }
    return EXIT.ok;
  });
}
