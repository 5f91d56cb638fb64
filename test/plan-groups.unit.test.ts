import { describe, expect, it } from "vitest";
import type { ListedInstance } from "../src/hostwinds/schemas.js";
import { planGroups } from "../src/jobs/reconcile/plan-groups.js";

describe("planGroups", () => {
  it("groups a large fleet on one plan in one pass (it once copied the group for every member: quadratic)", async () => {
    // 200,000 members of one group: the quadratic grouping copied ~2·10^10 references and ran for
    // minutes (past the test's timeout); appending in place takes milliseconds.
    const n = 200_000;
    const instances: ListedInstance[] = Array.from({ length: n }, (_, k) => ({
      serviceid: k + 1,
      billingcycle: "monthly",
      product_id: "vps-linux-2",
      ram: "4096",
      cpu: "2",
      disk: "80",
    }));
    let calls = 0;
    const planned = await planGroups({
      // No plan is found for the learner, so the group is priced per instance: only the grouping is under test.
      hostwinds: {
        getPriceList: () => {
          calls++;
          return Promise.resolve([]);
        },
      },
      catalogue: [],
      instances,
      needed: new Set(instances.map((i) => i.serviceid)),
      samplePercent: 1,
      concurrency: 4,
    });
    expect(planned.groups).toHaveLength(1);
    expect(planned.groups[0]).toMatchObject({ members: n, mode: "per-instance" });
    expect(calls).toBe(1);
  });
});
