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

const MiB = 1024 * 1024;

/**
 * The largest answer accepted per action, in bytes on the wire: checked against content-length
 * before the body is read, and counted while it is read; beyond it the request is aborted and the
 * call fails for good (docs/hostwinds-client.md, "Answer size"). 50 MB answers once took a worker
 * to 1.1 GB: the text of an answer is held while it is read, and a single answer's JSON tree is
 * several times its size.
 * - get_instances lists the whole account (about 21 MB of JSON for 100k instances, streamed and
 *   slimmed element by element): 64 MiB leaves three times that fleet.
 * - get_price_list is the catalogue, custom plans' component options included (kilobytes to tens
 *   of kilobytes): 2 MiB, and a reconciliation holds up to RECONCILE_CONCURRENCY of them at once.
 * - the answers about one instance or one order are a few hundred bytes: 1 MiB.
 */
export const MAX_ANSWER_BYTES: Readonly<Record<ReadOnlyAction, number>> = {
  get_instances: 64 * MiB,
  get_price_list: 2 * MiB,
  get_billingcycle_prices: 1 * MiB,
  get_instance: 1 * MiB,
  check_upgrade_order: 1 * MiB,
};

/** A byte count as people write limits: "64 MiB", "512 KiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
