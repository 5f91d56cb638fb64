import { userInfo } from "node:os";

/**
 * Who makes a change from the command line, as the change logs record it (`cost_history.changed_by`,
 * `cost_sync_setting_changes.changed_by`): COST_SYNC_OPERATOR when set, else the OS user. A
 * container may run under a uid with no passwd entry, where `userInfo()` throws: the uid then.
 */
export function operatorOf(cfg: { COST_SYNC_OPERATOR?: string | undefined }): string {
  if (cfg.COST_SYNC_OPERATOR) return cfg.COST_SYNC_OPERATOR;
  try {
    return userInfo().username;
  } catch {
    return `uid ${String(process.getuid?.() ?? "unknown")}`;
  }
}
