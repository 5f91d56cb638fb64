#!/usr/bin/env node
// Production entry point: the compiled JavaScript in dist/ (`npm run build`),
// without tsx's loader in memory. The Docker image runs this one.
const { main } = await import("../dist/cli/main.js");
process.exit(await main(process.argv.slice(2)));
