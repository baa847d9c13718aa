/**
 * Work asked for by many sockets at once (thousands of exam pages opening at an exam's start), done together: the
 * items added during one turn of the event loop — and while the previous batch is still running — go to `run` as one
 * batch, so a burst costs a few statements instead of a few per socket, and a quiet server answers within a turn.
 * `run` answers each item's result in the items' order; when it fails, every item of the batch fails with its error.
 */
export class TurnBatch<T, R = void> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private running = false;
  private scheduled = false;
  /** when the last batch started (performance.now()) */
  private lastStart = -Infinity;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    /**
     * the least time between the starts of two batches: under a steady stream of items (thousands of pages opening)
     * each batch gathers what came meanwhile, so there are fewer, larger batches; the first item after a quiet spell
     * still runs within a turn
     */
    private readonly minGapMs = 0,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastStart + this.minGapMs - performance.now();
    const start = () => {
      this.scheduled = false;
      void this.next();
    };
    if (wait > 0) setTimeout(start, wait);
    else setImmediate(start);
  }

  private async next(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.running = true;
    this.lastStart = performance.now();
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.running = false;
      if (this.pending.length) this.schedule();
    }
  }
}
