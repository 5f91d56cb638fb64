import { randomBytes } from "node:crypto";
import { noArgs, parse } from "../../src/cli/args.js";
import { SIMULATOR_HELP } from "./help.js";
import { EXIT, UsageError } from "../../src/cli/usage-error.js";
import type { Config } from "../../src/config/env.js";
import { Catalogue } from "./catalogue.js";
import { Replay } from "./replay.js";
import { HostwindsSimulator } from "./server.js";

/** Instances of the stand-alone simulator: one per plan and cycle case (hourly, custom, a cycle not offered). */
const INSTANCES = [
  { serviceid: 5001, rid: "10", billingcycle: "monthly" },
  { serviceid: 5002, rid: "11", billingcycle: "quarterly" },
  { serviceid: 5003, rid: "12", billingcycle: "semiannually" },
  { serviceid: 5004, rid: "10", billingcycle: "hourly", hourly: true },
  { serviceid: 5005, rid: "20", billingcycle: "annually" },
] as const;

/**
 * `simulator [--port N] [--replay DIR] [--key K]`: the built-in Hostwinds simulator on 127.0.0.1,
 * answering from its catalogue or, with --replay, from answers saved by `hostwinds check --save`.
 * Prints the URL and key to point a worker at, and runs until SIGINT/SIGTERM.
 */
export async function simulatorCommand(_cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, SIMULATOR_HELP.flags);
  noArgs(positionals);
  const port = portArg(values.port);
  const key = values.key ?? `sim-${randomBytes(12).toString("hex")}`;
  if (key.length < 8) throw new UsageError("--key must be at least 8 characters (HOSTWINDS_API_KEY's minimum)");
  const replay = values.replay === undefined ? undefined : await loadReplay(values.replay);
  const sim = new HostwindsSimulator({ apiKey: key, replay, catalogue: new Catalogue(undefined, [...INSTANCES]) });
  const url = await sim.start(port);
  out.write(
    `Hostwinds simulator on ${url}, ${replay ? `replaying ${replay.answers.length} answer(s) from ${replay.dir}` : `instances ${INSTANCES.map((i) => i.serviceid).join(", ")}`}\n` +
      `  HOSTWINDS_API_URL=${url}\n  HOSTWINDS_API_KEY=${key}\n` +
      "Ctrl-C stops it.\n",
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
  return EXIT.ok;
}

function portArg(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535)
    throw new UsageError(`--port must be a port number (0 to 65535), got ${JSON.stringify(value)}`);
  return port;
}

async function loadReplay(dir: string): Promise<Replay> {
  try {
    return await Replay.load(dir);
  } catch (err) {
    throw new UsageError(`--replay ${dir}: not a recording of hostwinds check --save (${(err as Error).message})`);
  }
}
