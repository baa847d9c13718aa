/**
 * Collects the keys asked for while GraphQL resolves one level of a result (every item of a list asks
 * in the same turn) and loads them with one call; each key is loaded once per loader, or, when `remember`
 * is false (live state such as presence), once per batch not yet sent.
 */
export class BatchLoader<K, V> {
  private readonly loaded = new Map<K, Promise<V>>();
  private pending: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly absent: V,
    private readonly remember = true,
  ) {}

  /** `value` for `key`, read already by a statement that had it anyway (e.g. the exam page's own sitting, read with its exam) */
  prime(key: K, value: V): void {
    if (!this.loaded.has(key)) this.loaded.set(key, Promise.resolve(value));
  }

  load(key: K): Promise<V> {
    let value = this.loaded.get(key);
    if (value) return value;
    value = new Promise<V>((resolve, reject) => this.pending.push({ key, resolve, reject }));
    this.loaded.set(key, value);
    // after every promise of this turn has run, so the siblings resolving in it join the batch
    if (this.pending.length === 1) void Promise.resolve().then(() => process.nextTick(() => void this.dispatch()));
    return value;
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    // live state: a later ask must not get this read, which may predate a change made meanwhile
    if (!this.remember) for (const { key } of batch) this.loaded.delete(key);
    try {
      const found = await this.loadMany(batch.map((p) => p.key));
      for (const { key, resolve } of batch) resolve(found.has(key) ? found.get(key)! : this.absent);
    } catch (error) {
      for (const { key, reject } of batch) {
        this.loaded.delete(key); // a later ask tries again
        reject(error);
      }
    }
  }
}

/** rows grouped by a key (each mapped by `as`), each group in the rows' order */
export function groupBy<K, T, V = T>(
  rows: readonly T[],
  keyOf: (row: T) => K,
  as: (row: T) => V = (row) => row as unknown as V,
): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(as(row));
    else groups.set(key, [as(row)]);
  }
  return groups;
}
