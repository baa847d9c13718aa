/**
 * One subscriber's pending pushes, bounded. The subscription's consumer (graphql-ws sending to
 * one socket) pulls with `next()`; the router pushes without ever waiting. When `limit` entries
 * are pending the consumer is too slow: the queue empties itself, ends, and calls `onOverflow`
 * (which closes the socket so the client reconnects and re-reads) — it never grows or throws.
 *
 * An entry may carry a key: a push whose key is already pending is dropped, since every push is
 * only a cue to read fresh data (a board changed twice is read once). A batch (`pushMany`) is one
 * entry however long: its array is shared by every subscriber of the event.
 */
export class SubscriptionQueue<T> implements AsyncIterableIterator<T> {
  private readonly entries: { items: readonly T[]; key?: string }[] = [];
  /** index into the head batch */
  private cursor = 0;
  private readonly pendingKeys = new Set<string>();
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
  ) {}

  /** entries waiting for the consumer */
  get depth(): number {
    return this.entries.length;
  }

  get closed(): boolean {
    return this.ended;
  }

  push(item: T, key?: string): void {
    this.enqueue([item], key);
  }

  pushMany(items: readonly T[]): void {
    if (items.length) this.enqueue(items);
  }

  private enqueue(items: readonly T[], key?: string): void {
    if (this.ended) return;
    if (key !== undefined && this.pendingKeys.has(key)) return;
    if (this.waiter && this.entries.length === 0) {
      const resolve = this.waiter;
      this.waiter = null;
      if (items.length > 1) {
        this.entries.push({ items });
        this.cursor = 1;
      }
      resolve({ value: items[0], done: false });
      return;
    }
    if (this.entries.length >= this.limit) {
      this.finish();
      this.onOverflow();
      return;
    }
    this.entries.push({ items, key });
    if (key !== undefined) this.pendingKeys.add(key);
  }

  next(): Promise<IteratorResult<T>> {
    const head = this.entries[0];
    if (head) {
      const value = head.items[this.cursor++];
      if (this.cursor >= head.items.length) {
        this.entries.shift();
        this.cursor = 0;
        if (head.key !== undefined) this.pendingKeys.delete(head.key);
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.entries.length = 0;
    this.pendingKeys.clear();
    this.waiter?.({ value: undefined, done: true });
    this.waiter = null;
    this.onEnd();
  }
}
