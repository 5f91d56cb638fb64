/**
 * What each cost column can hold (migration 20261101000100_approximate_cost): the one definition
 * that amounts entering the system are checked against, and that `verify` checks the database by.
 */
export const COST_COLUMNS_TYPE = {
  vps: { table: "vps_instances", precision: 8, scale: 2 },
  ip: { table: "smtp_ip_addresses", precision: 6, scale: 2 },
} as const;

export type CostColumnKind = keyof typeof COST_COLUMNS_TYPE;

/** The largest amount, in cents, the kind's cost column holds: 10^(precision) − 1 in units of the scale. */
export function maxCents(kind: CostColumnKind): bigint {
  return 10n ** BigInt(COST_COLUMNS_TYPE[kind].precision) - 1n;
}

/** "numeric(8,2)", as PostgreSQL's format_type prints the column. */
export function sqlType(kind: CostColumnKind): string {
  const t = COST_COLUMNS_TYPE[kind];
  return `numeric(${String(t.precision)},${String(t.scale)})`;
}
