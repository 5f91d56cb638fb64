#!/usr/bin/env node
// Entry point of `npx cost-sync`. The service is TypeScript run through tsx's
// loader, so a fresh clone needs no build step between `npm ci` and use.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
const code = await main(process.argv.slice(2));
// Long-running commands (worker) resolve only when they have shut down; the
// others are done. Exit now rather than wait on library timers (the schema
// engine leaves a 10 s one behind).
process.exit(code);
