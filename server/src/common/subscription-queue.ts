/**
 * One subscriber's pending pushes, bounded. The subscription's consumer (graphql-ws sending to
 * one socket) pulls with `next()`; the router pushes without ever waiting. When `limit` entries
 * are pending the consumer is too slow: the queue empties itself, ends, and calls `onOverflow`
 * (which closes the socket so the client reconnects and re-reads) — it never grows or throws.
 *
 * An entry may carry a key: a push whose key is already pending is dropped, since every push is
 * only a cue to read fresh data (a board changed twice is read once). A batch (`pushMany`) is one
 * entry however long: its array is shared by every subscriber of the event. With `slots`, a push is
 * handed out only while a slot is free, and holds it until `pushBuilt()` (or the next `next()`).
 */
export class SubscriptionQueue<T> implements AsyncIterableIterator<T> {
  private readonly entries: { items: readonly T[]; key?: string }[] = [];
  /** index into the head batch */
  private cursor = 0;
  private readonly pendingKeys = new Set<string>();
  private wake: (() => void) | null = null;
  private holding = false;
  private ended = false;
  /** what else runs when the queue ends (see `whenEnded`) */
  private readonly endings: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
    /** shared by every queue of the instance: how many pushes are being built at once */
    private readonly slots?: PushSlots,
  ) {}

  /** entries waiting for the consumer */
  get depth(): number {
    return this.entries.length;
  }

  get closed(): boolean {
    return this.ended;
  }

  /**
   * Runs `onEnd` once when the queue ends, for whatever reason (the client completed it, the socket closed, it fell
   * behind), or at once if it has: what a wrapping iterator (presence/with-presence.ts `onStreamEnd`) would do, without
   * another layer of pending promises for each of thousands of subscriptions.
   */
  whenEnded(onEnd: () => void): void {
    if (this.ended) onEnd();
    else this.endings.push(onEnd);
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
    if (this.entries.length >= this.limit) {
      this.finish();
      this.onOverflow();
      return;
    }
    this.entries.push({ items, key });
    if (key !== undefined) this.pendingKeys.add(key);
    this.wakeConsumer();
  }

  /** the push handed out last has been built (graphql-ws calls onNext before sending it): its slot is free */
  pushBuilt(): void {
    if (!this.holding) return;
    this.holding = false;
    this.slots!.release();
  }

  async next(): Promise<IteratorResult<T>> {
    this.pushBuilt();
    if (!this.entries.length && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.ended) return { value: undefined, done: true };
    if (this.slots) {
      await this.slots.acquire();
      this.holding = true;
      if (this.ended) {
        this.pushBuilt();
        return { value: undefined, done: true };
      }
    }
    const head = this.entries[0];
    const value = head.items[this.cursor++];
    if (this.cursor >= head.items.length) {
      this.entries.shift();
      this.cursor = 0;
      if (head.key !== undefined) this.pendingKeys.delete(head.key);
    }
    return { value, done: false };
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

  private wakeConsumer(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.entries.length = 0;
    this.pendingKeys.clear();
    this.pushBuilt();
    this.wakeConsumer();
    this.onEnd();
    for (const onEnd of this.endings.splice(0)) onEnd();
  }
}

/**
 * How many pushes an instance builds at once (each is a GraphQL execution with its own reads).
 * A release to 5,000 students otherwise starts 5,000 executions together and holds them all in
 * memory; with slots they run a few dozen at a time, first come first served.
 */
export class PushSlots {
  private readonly waiting: (() => void)[] = [];
  private head = 0;
  /** when the current turn of the event loop began handing out slots (-1: not yet in this turn) */
  private turnStart = -1;

  constructor(private free: number) {}

  acquire(): Promise<void> | void {
    if (this.free > 0) {
      if (this.overdue()) return new Promise<void>((resolve) => setImmediate(() => resolve(this.acquire())));
      this.free--;
      return;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (this.overdue()) setImmediate(next);
      else next();
      return;
    }
    this.free++;
  }

  /**
   * Pushes built one after another resolve in microtasks (SQLite answers synchronously, most pushes read nothing),
   * which would starve the event loop — sends, heartbeats, requests — until the last push of a fan-out: once a turn
   * has built pushes for PUSH_TURN_MS, the next is handed out on the loop's next turn.
   */
  private overdue(): boolean {
    const now = performance.now();
    if (this.turnStart < 0) {
      this.turnStart = now;
      setImmediate(() => (this.turnStart = -1));
      return false;
    }
    return now - this.turnStart > PUSH_TURN_MS;
  }
}

/** how long one turn of the event loop may spend building pushes before it lets the loop breathe */
const PUSH_TURN_MS = 10;
