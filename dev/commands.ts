import type { Commands } from "../src/cli/main.js";

/**
 * Commands that run only from a development checkout (bin/cost-sync.mjs registers them): the
 * production build leaves the simulator and the demo out.
 */
export const devCommands: Commands = {
  demo: {
    help: "the whole flow on a demo database against the built-in Hostwinds simulator",
    run: () => import("./demo/demo.js").then((m) => m.demoCommand()),
  },
  simulator: {
    help: "simulator [--port N] [--replay DIR] [--key K]: the Hostwinds simulator on its own, until Ctrl-C",
    run: (cfg, args, out) => import("./simulator/command.js").then((m) => m.simulatorCommand(cfg, args, out)),
  },
};
