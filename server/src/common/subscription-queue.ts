/**
 * One subscriber's pending pushes, bounded. The subscription's consumer (graphql-ws sending to
 * one socket) pulls with `next()`; the router pushes without ever waiting. When `limit` entries
 * are pending the consumer is too slow: the queue empties itself, ends, and calls `onOverflow`
 * (which closes the socket so the client reconnects and re-reads) — it never grows or throws.
 *
 * An entry may carry a key: a push whose key is already pending replaces the pending one in its place (a board
 * changed twice is read once). The newer one must win: an event's payload is shared by all its subscribers and read
 * once, by the first push built, so the older one may already hold what was read before the newer change. A batch (`pushMany`) is one
 * entry however long: its array is shared by every subscriber of the event. With `slots`, a push is
 * handed out only while a slot is free, and holds it until `pushBuilt()` (or the next `next()`).
 *
 * With `latestOf` the queue coalesces: every push is "the latest state of item X" (`latestOf(push)` names X), so a
 * push of an item already pending replaces the pending one in its place (the order is that of first arrival) and
 * a batch's pushes are taken one by one the same way. It holds at most one push per item, the newest, so it is
 * bounded by the items there are (a staff room: the sittings of its exam), not by the events. Its depth, which
 * `limit` bounds, counts arrivals still pending (a push or a batch that brought a new item), as a queue without
 * `latestOf` counts its entries: a consumer that stopped reading still overflows once `limit` arrivals wait.
 */
export class SubscriptionQueue<T> implements AsyncIterableIterator<T> {
  private readonly entries: { items: readonly T[]; readonly key?: string }[] = [];
  /** a coalescing queue's pending pushes (see `latestOf`): one per item, in the order the items first arrived */
  private readonly latest?: Map<string, Latest<T>>;
  /** a coalescing queue's arrivals with a push still pending: its depth */
  private arrivals = 0;
  /** index into the head batch */
  private cursor = 0;
  private readonly pendingKeys = new Set<string>();
  private wake: (() => void) | null = null;
  private holding = false;
  private ended = false;
  /** what else runs when the queue ends (see `whenEnded`) */
  private readonly endings: (() => void)[] = [];
  /** a driven queue's consumer (see `drive`) until it is told the queue has drained, and whether it holds a push it has not yet `taken` */
  private consumer?: PushConsumer<T>;
  private busy = false;
  private pumping = false;
  private awaitingSlot = false;
  /** `slotGranted` as a callback, made the first time the queue waits for a slot */
  private granted?: () => void;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
    /** shared by every queue of the instance: how many pushes are being built at once */
    private readonly slots?: PushSlots,
    /** makes the queue coalescing: the item a push is the latest state of (see above) */
    private readonly latestOf?: (push: T) => string,
  ) {
    if (latestOf) this.latest = new Map();
  }

  /** entries waiting for the consumer (a coalescing queue: arrivals with a push still pending) */
  get depth(): number {
    return this.latest ? this.arrivals : this.entries.length;
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
    if (this.latest) {
      this.coalesce(this.latest, items);
      return;
    }
    if (key !== undefined && this.pendingKeys.has(key)) {
      const pending = this.entries.find((entry) => entry.key === key);
      if (pending) pending.items = items;
      return;
    }
    if (this.entries.length >= this.limit) {
      this.overflow();
      return;
    }
    this.entries.push({ items, key });
    if (key !== undefined) this.pendingKeys.add(key);
    this.wakeConsumer();
  }

  /** each push replaces its item's pending one in place, or joins the queue as part of this arrival */
  private coalesce(latest: Map<string, Latest<T>>, items: readonly T[]): void {
    let arrival: { pending: number } | undefined;
    for (const item of items) {
      const id = this.latestOf!(item);
      const pending = latest.get(id);
      if (pending) {
        pending.item = item;
        continue;
      }
      if (!arrival) {
        if (this.arrivals >= this.limit) {
          this.overflow();
          return;
        }
        arrival = { pending: 0 };
        this.arrivals++;
      }
      arrival.pending++;
      latest.set(id, { item, arrival });
    }
    if (arrival) this.wakeConsumer();
  }

  private overflow(): void {
    this.finish();
    this.onOverflow();
  }

  /**
   * Hands each push to `consume` as it arrives, in order, instead of being iterated: synchronously, in the turn the push
   * arrives in, when the consumer is idle and a slot is free (the push slots' turn budget still applies). The consumer
   * calls `pushBuilt()` once the push is built and `taken()` once it is done with it (its frame sent); only then is it
   * handed the next. Limits, keys and coalescing are those of `next()`: pushes wait here while the consumer is busy.
   * The consumer's `drained()` is called once, when the queue has ended and the consumer is done with its last push.
   */
  drive(consumer: PushConsumer<T>): void {
    this.consumer = consumer;
    this.pump();
  }

  /** a driven queue that has ended tells its consumer, once it holds no push */
  private drain(): void {
    const consumer = this.consumer;
    if (!consumer || !this.ended || this.busy || this.pumping) return;
    this.consumer = undefined;
    consumer.drained();
  }

  /** the driven queue's consumer is done with its push (see `drive`) */
  taken(): void {
    this.pushBuilt();
    this.busy = false;
    if (!this.pumping) this.pump();
  }

  /** hands out pushes to a driven queue's consumer while it is idle and slots are free (a loop: a consumer may be done at once) */
  private pump(): void {
    this.pumping = true;
    try {
      while (!this.busy && !this.awaitingSlot && !this.ended && !this.empty) {
        if (this.slots && !this.slots.tryAcquire((this.granted ??= () => this.slotGranted()))) {
          this.awaitingSlot = true;
          return;
        }
        this.handOut();
      }
    } finally {
      this.pumping = false;
      this.drain();
    }
  }

  /** a slot this driven queue waited for is its own now */
  private slotGranted(): void {
    this.awaitingSlot = false;
    if (this.ended) {
      this.slots!.release();
      this.drain();
      return;
    }
    this.handOut();
    if (!this.pumping) this.pump();
  }

  private handOut(): void {
    this.holding = !!this.slots;
    this.busy = true;
    this.consumer!.handle(this.take());
  }

  /** the push handed out last has been built (graphql-ws calls onNext before sending it): its slot is free */
  pushBuilt(): void {
    if (!this.holding) return;
    this.holding = false;
    this.slots!.release();
  }

  async next(): Promise<IteratorResult<T>> {
    this.pushBuilt();
    if (this.empty && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.ended) return { value: undefined, done: true };
    if (this.slots) {
      await this.slots.acquire();
      this.holding = true;
      if (this.ended) {
        this.pushBuilt();
        return { value: undefined, done: true };
      }
    }
    return { value: this.take(), done: false };
  }

  /** the first pending push, out of the queue */
  private take(): T {
    if (this.latest) return this.takeLatest(this.latest);
    const head = this.entries[0];
    const value = head.items[this.cursor++];
    if (this.cursor >= head.items.length) {
      this.entries.shift();
      this.cursor = 0;
      if (head.key !== undefined) this.pendingKeys.delete(head.key);
    }
    return value;
  }

  private get empty(): boolean {
    return this.latest ? this.latest.size === 0 : this.entries.length === 0;
  }

  /** the first item's newest push */
  private takeLatest(latest: Map<string, Latest<T>>): T {
    const [id, first] = latest.entries().next().value!;
    latest.delete(id);
    if (--first.arrival.pending === 0) this.arrivals--;
    return first.item;
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
    if (this.consumer) {
      if (!this.pumping) this.pump();
      return;
    }
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.entries.length = 0;
    this.pendingKeys.clear();
    this.latest?.clear();
    this.arrivals = 0;
    this.pushBuilt();
    this.wakeConsumer();
    this.onEnd();
    for (const onEnd of this.endings.splice(0)) onEnd();
    this.drain();
  }
}

/** what a driven queue hands its pushes to (see SubscriptionQueue `drive`) */
export interface PushConsumer<T> {
  /** one push, to build and send; the queue hands out no other until the consumer calls `taken()` */
  handle(push: T): void;
  /** the queue has ended and the consumer holds none of its pushes */
  drained(): void;
}

/** a coalescing queue's pending push: its item's newest, and the arrival whose place it holds */
interface Latest<T> {
  item: T;
  arrival: { pending: number };
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
  /** slots are being handed to waiters (a waiter's push built at once frees its slot within: the loop goes on) */
  private handing = false;
  /** a later turn will hand out the free slots */
  private resuming = false;

  constructor(private free: number) {}

  acquire(): Promise<void> | void {
    let granted: () => void;
    if (this.tryAcquire(() => granted())) return;
    return new Promise<void>((resolve) => (granted = resolve));
  }

  /**
   * A slot now (true), or false and `granted` is called later, never synchronously, once a slot is held for it (first
   * come first served; a turn that has built pushes long enough hands its free slots out on the next turn).
   */
  tryAcquire(granted: () => void): boolean {
    if (this.free > 0 && this.head >= this.waiting.length && !this.overdue()) {
      this.free--;
      return true;
    }
    this.waiting.push(granted);
    this.resumeLater();
    return false;
  }

  release(): void {
    this.free++;
    this.handOut();
  }

  /** free slots to waiters, first come first served, while the turn has time left; then on a later turn */
  private handOut(): void {
    if (this.handing) return;
    this.handing = true;
    try {
      while (this.free > 0 && this.head < this.waiting.length) {
        if (this.overdue()) {
          this.resumeLater();
          return;
        }
        this.free--;
        const next = this.waiting[this.head++];
        if (this.head > 1024 && this.head * 2 > this.waiting.length) {
          this.waiting.splice(0, this.head);
          this.head = 0;
        }
        next();
      }
    } finally {
      this.handing = false;
    }
  }

  private resumeLater(): void {
    if (this.resuming || this.free === 0) return;
    this.resuming = true;
    setImmediate(() => {
      this.resuming = false;
      this.handOut();
    });
  }

  /**
   * Pushes built one after another resolve in microtasks (SQLite answers synchronously, most pushes read nothing), or
   * at once as their event is delivered (driven queues), which would starve the event loop — sends, heartbeats,
   * requests — until the last push of a fan-out: once a turn has built pushes for PUSH_TURN_MS, the next is handed out
   * on the loop's next turn.
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

/**
 * A subscription's pushes, each passed on as `view` makes it, or skipped when it answers `undefined` (perhaps after a
 * read: `view` may answer a promise). Over a subscriber's own queue, shared-push.ts drives it as it drives the queue
 * (the view applied as each push is handed out, in order, one at a time), without an iterator and its promises per push.
 */
export class ViewedPushes<T, U> implements AsyncIterableIterator<U> {
  constructor(
    readonly source: AsyncIterator<T>,
    readonly view: (push: T) => U | undefined | Promise<U | undefined>,
  ) {}

  async next(): Promise<IteratorResult<U>> {
    for (;;) {
      // a queue frees a skipped push's slot on the next pull
      const step = await this.source.next();
      if (step.done) return step as IteratorResult<U>;
      const viewed = await this.view(step.value);
      if (viewed !== undefined) return { value: viewed, done: false };
    }
  }

  async return(): Promise<IteratorResult<U>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<U>> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
