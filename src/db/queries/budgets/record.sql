-- Records a budget change (a new amount, or NULL: cleared) for a scope from a month on. Earlier
-- changes stay on record; the one in force for a month is the latest at or before it.
INSERT INTO cost_budgets (scope, scope_id, amount, from_month, changed_by, reason)
VALUES (:scope::text, :scopeId::text, :amount::numeric, :fromMonth::date, :changedBy::text, :reason::text)
RETURNING id::text
