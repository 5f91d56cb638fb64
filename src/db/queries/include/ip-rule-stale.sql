-- True for an IP that would take the constant while system_config (key :configKey) no longer holds the
-- value the writer read (:constant): Finance changed it meanwhile, and the repricing that change enqueued
-- writes the new one. Writes skip such rows (and count them) instead of putting the old value back.
-- A value that is not a plain decimal is not the constant read: the row is stale and skipped (the `.` is
-- escaped; it once matched any character, and "3x50" then failed the cast and the whole statement).
((i.approximate_cost_override IS NULL AND v.id IS NOT NULL AND v.status IS DISTINCT FROM 'decommissioned') AND NOT (SELECT CASE WHEN c.value #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$' THEN (c.value #>> '{}')::numeric END
                                      FROM system_config c WHERE c.key = :configKey) IS NOT DISTINCT FROM :constant::numeric)
