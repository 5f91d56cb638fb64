/**
 * "Did you mean …": the candidates closest to a mistyped word, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours, as git and gh count them).
 */

/** Optimal string alignment distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.MAX_SAFE_INTEGER;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The closest candidates within a distance that grows with the word (1 for short words, up to 3);
 * a candidate that starts with the word counts too (`stat` → `status`).
 */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  const near = candidates
    .map((c) => ({ c, d: w.length >= 3 && c.toLowerCase().startsWith(w) ? 1 : editDistance(w, c.toLowerCase()) }))
    .filter(({ d }) => d <= limit);
  const best = Math.min(...near.map(({ d }) => d));
  return near
    .filter(({ d }) => d === best)
    .map(({ c }) => c)
    .sort();
}

/** ` (did you mean x?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const [first, second] = suggest(word, candidates);
  if (first === undefined) return "";
  return second === undefined ? ` (did you mean ${first}?)` : ` (did you mean ${first} or ${second}?)`;
}
