-- Reopens a month: the close in force keeps its row and its figures, stamped with who reopened it,
-- when and why; the month is then open (and closable again). Nothing when it is not closed.
UPDATE cost_month_closes
   SET reopened_at = now(), reopened_by = :reopenedBy, reopen_reason = :reason
 WHERE month = :month::date AND reopened_at IS NULL
RETURNING id::text
