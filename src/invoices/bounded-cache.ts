/**
 * The one bounded cache of the invoice import: the validator's readings (line-memo.ts) and the
 * staging COPY's encodings (db/month-end/invoice-staging.ts) both keep what an invoice file repeats,
 * and both must not grow with the file. A map is cleared when full: simpler than LRU and, since a
 * file repeats its values in runs, nearly as good.
 */

/** Entries per cache. */
export const CACHE_MAX = 4096;
/** The longest description kept, read or encoded (real ones are under a few hundred characters). */
export const KEPT_DESCRIPTION_CHARS = 1024;

/** The value kept for `key`, or the one `make` gives, then kept (the map is cleared when full). */
export function remember<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make(key);
    if (map.size >= CACHE_MAX) map.clear();
    map.set(key, value);
  }
  return value;
}
