import type { CommandHelp } from "../../src/cli/spec.js";

/** The simulator command's help, apart from the simulator so that `--help` loads nothing else. */
export const SIMULATOR_HELP = {
  help: "the built-in Hostwinds simulator on its own, until Ctrl-C",
  usage: ["simulator [--port N] [--replay DIR] [--key K]"],
  description:
    "Answers the documented Hostwinds API on 127.0.0.1 from a small catalogue, or with --replay from answers\n" +
    "saved by `cost-sync hostwinds check --save DIR`. Prints the HOSTWINDS_API_URL and HOSTWINDS_API_KEY to use.",
  flags: {
    port: { type: "string", value: "N", help: "port to listen on (default: any free port)" },
    replay: { type: "string", value: "DIR", help: "answer from the recorded answers in DIR" },
    key: { type: "string", value: "K", help: "the API key it accepts (default: a random one, printed)" },
  },
} satisfies CommandHelp;
