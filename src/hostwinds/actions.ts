/**
 * The only Hostwinds actions this service may send: all read-only. The client
 * refuses anything else before a byte leaves the process, which makes
 * `upgrade_instance` and every other mutating action impossible by construction.
 */
export const READ_ONLY_ACTIONS = [
  "get_price_list",
  "get_billingcycle_prices",
  "get_instance",
  "get_instances",
  "check_upgrade_order",
] as const;

export type ReadOnlyAction = (typeof READ_ONLY_ACTIONS)[number];

const allowed: ReadonlySet<string> = new Set(READ_ONLY_ACTIONS);

export function isReadOnlyAction(action: string): action is ReadOnlyAction {
  return allowed.has(action);
}

/** Documented mutating actions: the simulator accepts and records them so tests can prove none was sent. */
export const MUTATING_ACTIONS = [
  "upgrade_instance",
  "upgrade_server",
  "confirm_upgrade",
  "revert_upgrade",
  "change_billing_cycle",
  "add_instance",
  "terminate",
  "reboot",
  "start",
  "stop",
] as const;
