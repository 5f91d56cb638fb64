-- The closes of a month, oldest first: the one in force (reopenedAt NULL) last, if any.
SELECT id::text, to_char(month, 'YYYY-MM') AS month, closed_at AS "closedAt", closed_by AS "closedBy", trigger, reason,
       run_id::text AS "runId", figures_as_of AS "figuresAsOf", tenants,
       vps_cost::text AS "vpsCost", ip_cost::text AS "ipCost", total_cost::text AS "totalCost",
       (unallocated_vps_cost + unallocated_ip_cost)::text AS "unallocatedCost",
       revenue::text, margin::text, margin_percent::text AS "marginPercent",
       untracked_monthly_cost::text AS "untrackedMonthlyCost", untracked_instances AS "untrackedInstances",
       invoiced_usd::text AS "invoicedUsd", invoice_accuracy::text AS "invoiceAccuracy",
       other_hostwinds_spend_usd::text AS "otherHostwindsSpendUsd", payments_received::text AS "paymentsReceived",
       reopened_at AS "reopenedAt", reopened_by AS "reopenedBy", reopen_reason AS "reopenReason"
  FROM cost_month_closes
 WHERE month = :month::date
 ORDER BY reopened_at IS NULL, closed_at, id
