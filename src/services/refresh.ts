import { describeSkipped, type SkippedCosts } from "../db/writes/attribution.js";
import type { Repositories } from "../db/repositories.js";

/**
 * Recomputes the attribution behind the executive views: the `refresh` command and the
 * attribution-refresh job both run this. `warning` names the rows left out (a NaN cost), if any.
 */
export async function refreshViews(
  repos: Pick<Repositories, "attribution">,
): Promise<{ skipped: SkippedCosts[]; warning: string | undefined }> {
  const skipped = await repos.attribution.refresh();
  return { skipped, warning: describeSkipped(skipped) };
}
