#!/usr/bin/env node
// Entry point of `npx cost-sync` in a development checkout. The service is TypeScript run through
// tsx's loader, so a fresh clone needs no build step between `npm ci` and use; the commands of the
// development tree (the demo) are registered here, and only here.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
const { devCommands } = await import("../dev/commands.ts");
const code = await main(process.argv.slice(2), { devCommands });
// Long-running commands (worker) resolve only when they have shut down; the others are done.
// Exit now rather than wait on library timers (the schema engine leaves a 10 s one behind).
process.exit(code);
