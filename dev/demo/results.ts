import { render } from "../../src/cli/table.js";
import type { SqlRunner } from "../../src/db/client.js";
import { query } from "../../src/db/sql.js";
import type { HostwindsSimulator } from "../simulator/server.js";
import { Q } from "./statements.js";

/** The demo's closing printout: costs, history, the run, the executive figures and the attribution. */
export async function printResults(
  db: SqlRunner,
  sim: HostwindsSimulator | undefined,
  out: (s: string) => void,
): Promise<void> {
  const table = async (title: string, s: (typeof Q)["vpsCosts"]) =>
    out(`\n== ${title} ==\n${render(await query(db, s, {}), "table")}`);
  await table("VPS costs", Q.vpsCosts);
  await table("what changed (cost_history)", Q.history);
  await table("reconciliation", Q.runs);
  await table("executive_business_summary", Q.executive);
  await table("tenant_cost_attribution (NULL tenant = unallocated)", Q.attribution);
  if (sim) {
    const actions = new Map<string, number>();
    for (const r of sim.requests) actions.set(r.action, (actions.get(r.action) ?? 0) + 1);
    out(
      `\nHostwinds requests: ${[...actions].map(([a, n]) => `${a}=${String(n)}`).join(", ")} (no mutating action sent)\n`,
    );
  }
}
