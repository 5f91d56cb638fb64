import type { Commands } from "../src/cli/main.js";
import { DEMO_HELP } from "./demo/help.js";
import { SIMULATOR_HELP } from "./simulator/help.js";

/**
 * Commands that run only from a development checkout (bin/cost-sync.mjs registers them): the
 * production build leaves the simulator and the demo out.
 */
export const devCommands: Commands = {
  demo: { ...DEMO_HELP, run: (_cfg, args, _out, io) => import("./demo/demo.js").then((m) => m.demoCommand(args, io)) },
  simulator: {
    ...SIMULATOR_HELP,
    run: (cfg, args, out) => import("./simulator/command.js").then((m) => m.simulatorCommand(cfg, args, out)),
  },
};
