-- Advances a run past one chunk; runs in the chunk's transaction, so cursor and writes move together.
UPDATE cost_reconciliation_runs
   SET cursor_vps_id = :cursor::uuid,
       vps_checked = vps_checked + :checked,
       vps_changed = vps_changed + :changed,
       vps_unpriced = vps_unpriced + :unpriced,
       hostwinds_calls = hostwinds_calls + :calls,
       calls_fallback = calls_fallback + :calls,
       ip_checked = ip_checked + :ipChecked,
       ip_changed = ip_changed + :ipChanged,
       vps_skipped = vps_skipped + :vpsSkipped,
       ip_skipped = ip_skipped + :ipSkipped
 WHERE id = :runId::uuid
