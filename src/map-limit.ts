/** Maps `items` through `fn` with at most `limit` in flight, keeping order. Rejects on the first rejection. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  // One iterator shared by every lane: each takes the next unclaimed item when it is free.
  const pending = items.entries();
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (const [i, item] of pending) out[i] = await fn(item);
  });
  await Promise.all(lanes);
  return out;
}
