-- Included by the targeted IP repricings (ip/reprice-*.sql), after their `target` CTE (the IPs, locked,
-- priced by the rule: include ip-priced): writes the rows whose value or source changes, but not stale
-- ones, with their history and anomalies, and returns the counts and, if :returnChanges, the changes.
upd AS (
       UPDATE smtp_ip_addresses i
          SET approximate_cost = t.new_value, approximate_cost_source = t.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM target t
        WHERE i.id = t.id AND NOT t.stale
          AND (i.approximate_cost IS DISTINCT FROM t.new_value OR i.approximate_cost_source IS DISTINCT FROM t.source)
       RETURNING i.id, t.old_value, i.approximate_cost AS new_value, t.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),
     hist AS (
       /* @include cost-history */ FROM changed
       ON CONFLICT DO NOTHING
     ),
     /* @include cost-anomalies */
    SELECT (SELECT count(*) FROM target)::int AS checked, (SELECT count(*) FROM changed)::int AS changed,
           (SELECT count(*) FROM target WHERE stale)::int AS skipped, (SELECT count(*) FROM anom)::int AS anomalies,
           CASE WHEN :returnChanges::boolean THEN /* @include cost-changes-json */ END AS changes
