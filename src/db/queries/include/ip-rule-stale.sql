-- True for an IP that would take the constant while system_config (key :configKey) no longer holds the
-- value the writer read (:constant): Finance changed it meanwhile, and the repricing that change enqueued
-- writes the new one. Writes skip such rows (and count them) instead of putting the old value back.
-- The `.` of the pattern matches any character: that is the text this statement has always been sent
-- with (it was a JS template literal, which dropped the backslash); kept as it was, a re-layout.
((i.approximate_cost_override IS NULL AND v.id IS NOT NULL AND v.status IS DISTINCT FROM 'decommissioned') AND NOT (SELECT CASE WHEN c.value #>> '{}' ~ '^[0-9]+(.[0-9]+)?$' THEN (c.value #>> '{}')::numeric END
                                      FROM system_config c WHERE c.key = :configKey) IS NOT DISTINCT FROM :constant::numeric)
