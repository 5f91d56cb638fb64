/**
 * A capped list: the first rows of a longer one, and how many there are in all. Every list a
 * command or a gauge shows from the database is one (status, history, anomalies, a run's unpriced VPS).
 */
export interface CappedList<T> {
  total: number;
  shown: T[];
}

/** "3 of 40", or "40" when everything is shown. */
export function cappedCount(l: CappedList<unknown>): string {
  return l.shown.length < l.total ? `${String(l.shown.length)} of ${String(l.total)}` : String(l.total);
}
