/** Calendar months as month close names them: `YYYY-MM`, in UTC (docs/month-close.md). */

/** A month as written on the command line and stored: `YYYY-MM`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month containing `at`, in UTC. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** The month before the one containing `at`, in UTC. */
export const previousMonth = (at: Date): string =>
  monthOf(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1)));

/** The month after `month`. */
export const nextMonth = (month: string): string => {
  const [y, m] = month.split("-").map(Number);
  return monthOf(new Date(Date.UTC(y ?? 0, m ?? 1, 1)));
};
