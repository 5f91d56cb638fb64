import { YES_FLAG, type CommandHelp } from "../../src/cli/spec.js";

/** The demo's help, apart from the demo itself so that `--help` loads nothing else. */
export const DEMO_HELP = {
  help: "the whole flow on a demo database against the built-in Hostwinds simulator",
  usage: ["demo [--yes] [--database NAME]"],
  description:
    "Creates the database cost_sync_demo (marked with the comment 'cost-sync demo') on the local server or on\n" +
    "DATABASE_URL's, migrates and seeds it, and runs the worker in-process against the built-in simulator. An\n" +
    "existing cost_sync_demo is dropped only if it carries that mark, after a prompt (or --yes when stdin is not\n" +
    "a terminal). `npm run demo` passes --yes. --database names another database, with the same rules.",
  flags: {
    ...YES_FLAG,
    database: { type: "string", help: "the demo's database name (default cost_sync_demo)", value: "NAME" },
  },
} satisfies CommandHelp;
