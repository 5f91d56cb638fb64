import type { Db } from "./client.js";
import { reopenMonth } from "./month-end/month-close.js";
import { ipConstantImpact } from "./read-models/ip-constant-impact.js";
import { findVpsByServiceId } from "./read-models/vps-lookup.js";
import { createRepositories } from "./repositories.js";
import { attributionRefreshedAt } from "./writes/attribution.js";
import { ipExists } from "./writes/ip-costs.js";
import { setOverride, type OverrideChange } from "./writes/overrides.js";
import { getPlanPriceUnit, setIpConstant, setPlanPriceUnit, type PlanPriceUnit } from "./writes/settings.js";
import { vpsExists } from "./writes/vps-costs.js";

/**
 * What the use cases an operator starts read and write (overrides, settings, reopening a month),
 * on top of everything the jobs' repositories give, bound to one database. The CLI's session
 * builds it once; the jobs' own set (src/db/repositories.ts) stays as narrow as the jobs need.
 */
export function createCommandRepositories(db: Db) {
  const base = createRepositories(db);
  return {
    ...base,
    lookup: {
      vpsByServiceId: (serviceid: string) => findVpsByServiceId(db, serviceid),
      vpsExists: (id: string) => vpsExists(db, id),
      ipExists: (id: string) => ipExists(db, id),
    },
    overrides: { set: (o: OverrideChange) => setOverride(db, o) },
    settings: {
      ...base.settings,
      setIpConstant: (cents: bigint, changedBy: string, reason: string) => setIpConstant(db, cents, changedBy, reason),
      ipConstantImpact: (cents: bigint) => ipConstantImpact(db, cents),
      planPriceUnit: () => getPlanPriceUnit(db),
      setPlanPriceUnit: (unit: PlanPriceUnit, changedBy: string, reason: string) =>
        setPlanPriceUnit(db, unit, changedBy, reason),
    },
    attribution: { ...base.attribution, refreshedAt: () => attributionRefreshedAt(db) },
    monthClose: {
      ...base.monthClose,
      reopen: (r: { month: string; reopenedBy: string; reason: string }) => reopenMonth(db, r),
    },
  };
}

export type CommandRepositories = ReturnType<typeof createCommandRepositories>;
