import { PushSlots, SubscriptionQueue } from './subscription-queue';

/** The per-subscriber queue that replaced @graphql-yoga's unbounded (and, at 1,024, fatal) Repeater. */
describe("a subscriber's bounded queue", () => {
  const drain = async <T>(queue: SubscriptionQueue<T>, count: number) => {
    const got: T[] = [];
    for (let i = 0; i < count; i++) got.push((await queue.next()).value as T);
    return got;
  };

  it('hands pushes to a waiting consumer at once and keeps order', async () => {
    const queue = new SubscriptionQueue<number>(
      3,
      () => fail('no overflow'),
      () => undefined,
    );
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect((await first).value).toBe(1);
    expect(await drain(queue, 2)).toEqual([2, 3]);
    expect(queue.depth).toBe(0);
  });

  it('keeps one pending push per key, the newest, in its place (a board changed twice is read once)', async () => {
    const queue = new SubscriptionQueue<string>(
      2,
      () => fail('no overflow'),
      () => undefined,
    );
    for (let i = 0; i < 50; i++) queue.push(`board ${i}`, 'board');
    queue.push('resync', 'resync');
    expect(queue.depth).toBe(2);
    expect(await drain(queue, 2))
      .withContext('the newest board push, where the first one waited; an older one may hold what was read before')
      .toEqual(['board 49', 'resync']);
    queue.push('board again', 'board');
    expect(await drain(queue, 1)).toEqual(['board again']);
  });

  it('counts a batch as one entry and yields every item of it', async () => {
    const queue = new SubscriptionQueue<number>(
      1,
      () => fail('no overflow'),
      () => undefined,
    );
    const batch = Array.from({ length: 1200 }, (_, i) => i);
    queue.pushMany(batch);
    expect(queue.depth).toBe(1);
    expect(await drain(queue, 1200)).toEqual(batch);
    expect(queue.depth).toBe(0);
  });

  it('when full: drops everything, ends the stream, calls onOverflow and onEnd once, and ignores later pushes', async () => {
    let overflows = 0;
    let ends = 0;
    const queue = new SubscriptionQueue<number>(
      3,
      () => overflows++,
      () => ends++,
    );
    for (let i = 0; i < 10; i++) queue.push(i);
    expect([overflows, ends]).toEqual([1, 1]);
    expect(queue.depth).toBe(0);
    expect(queue.closed).toBeTrue();
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    await queue.return();
    expect(ends).toBe(1);
  });

  it('ends a waiting consumer when the subscription is closed', async () => {
    let ends = 0;
    const queue = new SubscriptionQueue<number>(
      3,
      () => fail('no overflow'),
      () => ends++,
    );
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });

  it('hands out a push only while a shared slot is free; a built push or a closed queue frees it', async () => {
    const slots = new PushSlots(1);
    const one = new SubscriptionQueue<string>(
      5,
      () => fail('no overflow'),
      () => undefined,
      slots,
    );
    const two = new SubscriptionQueue<string>(
      5,
      () => fail('no overflow'),
      () => undefined,
      slots,
    );
    one.push('a1');
    one.push('a2');
    two.push('b1');
    expect((await one.next()).value).toBe('a1');
    let second: string | undefined;
    void two.next().then((r) => (second = r.value));
    await new Promise((r) => setTimeout(r, 10));
    expect(second).withContext('waits while a1 is being built').toBeUndefined();
    one.pushBuilt();
    await new Promise((r) => setTimeout(r, 0));
    expect(second).toBe('b1');
    let third: string | undefined;
    void one.next().then((r) => (third = r.value));
    await two.return();
    await new Promise((r) => setTimeout(r, 0));
    expect(third).toBe('a2');
  });
  describe('driven (its consumer is handed each push as it arrives)', () => {
    const driven = <T>(limit: number, slots?: PushSlots) => {
      const handed: T[] = [];
      const overflows: number[] = [];
      const queue = new SubscriptionQueue<T>(
        limit,
        () => overflows.push(1),
        () => undefined,
        slots,
      );
      let drained = false;
      queue.drive({
        handle: (push) => handed.push(push),
        drained: () => {
          if (drained) fail('told twice');
          drained = true;
        },
      });
      return { queue, handed, overflows, isDrained: () => drained };
    };

    it('hands a push over in the turn it arrives, then none until the consumer has taken it, in order', () => {
      const { queue, handed } = driven<number>(5);
      queue.push(1);
      expect(handed).withContext('synchronously').toEqual([1]);
      queue.push(2);
      queue.push(3);
      expect(handed).withContext('the first is still being sent').toEqual([1]);
      expect(queue.depth).toBe(2);
      queue.taken();
      expect(handed).toEqual([1, 2]);
      queue.taken();
      queue.taken();
      expect(handed).toEqual([1, 2, 3]);
      expect(queue.depth).toBe(0);
      queue.push(4);
      expect(handed).toEqual([1, 2, 3, 4]);
    });

    it('takes one push after another when each is taken at once (no recursion however many wait)', () => {
      const queue = new SubscriptionQueue<number>(
        10_000,
        () => fail('no overflow'),
        () => undefined,
      );
      const handed: number[] = [];
      queue.push(0);
      queue.drive({
        handle: (push) => {
          handed.push(push);
          if (push === 0) for (let i = 1; i < 5_000; i++) queue.push(i);
          queue.taken();
        },
        drained: () => fail('it has not ended'),
      });
      expect(handed.length).toBe(5_000);
      expect(handed.every((push, i) => push === i)).toBeTrue();
    });

    it('keeps its limit, keys and overflow while the consumer is busy', () => {
      const { queue, handed, overflows } = driven<string>(2);
      queue.push('a');
      queue.push('board v1', 'board');
      queue.push('board v2', 'board');
      expect(queue.depth).toBe(1);
      queue.push('b');
      expect(overflows).toEqual([]);
      queue.push('c');
      expect(overflows).withContext('the third waiting push overflows').toEqual([1]);
      expect(queue.closed).toBeTrue();
      queue.taken();
      expect(handed).withContext('nothing is handed out once it has ended').toEqual(['a']);
    });

    it('resolves its end once it has ended and its consumer has taken its last push', async () => {
      const { queue, isDrained } = driven<number>(5);
      queue.push(1);
      await queue.return();
      await new Promise((r) => setTimeout(r, 0));
      expect(isDrained()).withContext('a push is still being sent').toBeFalse();
      queue.taken();
      await new Promise((r) => setTimeout(r, 0));
      expect(isDrained()).toBeTrue();
      const idle = driven<number>(5);
      await idle.queue.return();
      await new Promise((r) => setTimeout(r, 0));
      expect(idle.isDrained()).toBeTrue();
    });

    it('holds a shared slot while its push is built; a built push or an ended queue frees it for the next queue', async () => {
      const slots = new PushSlots(1);
      const one = driven<string>(5, slots);
      const two = driven<string>(5, slots);
      one.queue.push('a1');
      two.queue.push('b1');
      await new Promise((r) => setTimeout(r, 10));
      expect(two.handed).withContext('waits while a1 is being built').toEqual([]);
      one.queue.pushBuilt();
      await new Promise((r) => setTimeout(r, 0));
      expect(two.handed).toEqual(['b1']);
      one.queue.taken();
      one.queue.push('a2');
      await new Promise((r) => setTimeout(r, 10));
      expect(one.handed).withContext('b1 holds the slot').toEqual(['a1']);
      await two.queue.return();
      await new Promise((r) => setTimeout(r, 0));
      expect(one.handed).toEqual(['a1', 'a2']);
      // a queue that ends while it waits for a slot gives the slot back when it comes
      one.queue.push('a3');
      two.queue.taken();
      const three = driven<string>(5, slots);
      three.queue.push('c1');
      await three.queue.return();
      one.queue.taken();
      await new Promise((r) => setTimeout(r, 0));
      expect(three.handed).toEqual([]);
      expect(three.isDrained()).toBeTrue();
      expect(one.handed).toEqual(['a1', 'a2', 'a3']);
    });
  });

  describe('coalescing by item (a staff room: each push is the latest state of one sitting)', () => {
    interface Change {
      sittingId: string;
      version: number;
    }
    const coalescing = (limit: number, onOverflow = () => fail('no overflow')) =>
      new SubscriptionQueue<Change>(
        limit,
        onOverflow,
        () => undefined,
        undefined,
        (change) => change.sittingId,
      );
    const change = (sittingId: string, version: number): Change => ({ sittingId, version });

    it("replaces an item's pending push in its place: the order is that of first arrival", async () => {
      const queue = coalescing(10);
      queue.push(change('a', 1));
      queue.push(change('b', 1));
      queue.push(change('a', 2));
      queue.push(change('c', 1));
      queue.push(change('b', 2));
      queue.push(change('a', 3));
      expect(queue.depth).toBe(3);
      expect(await drain(queue, 3)).toEqual([change('a', 3), change('b', 2), change('c', 1)]);
      expect(queue.depth).toBe(0);
      queue.push(change('a', 4));
      expect(await drain(queue, 1))
        .withContext('a push handed out is gone: the next change queues anew')
        .toEqual([change('a', 4)]);
    });

    it('counts a batch as one arrival: its changes replace pending ones in place, new items queue after', async () => {
      const queue = coalescing(2);
      queue.push(change('a', 1));
      const release = ['b', 'a', 'c', 'd'].map((id) => change(id, 2));
      queue.pushMany(release);
      expect(queue.depth).withContext('a, then the batch').toBe(2);
      queue.pushMany([change('c', 3), change('a', 3)]);
      expect(queue.depth).withContext('nothing new arrived').toBe(2);
      expect(await drain(queue, 1)).toEqual([change('a', 3)]);
      expect(queue.depth).withContext("a's arrival is done").toBe(1);
      expect(await drain(queue, 3)).toEqual([change('b', 2), change('c', 3), change('d', 2)]);
      expect(queue.depth).toBe(0);
    });

    it('takes a burst of many changes of many sittings to a slow consumer: one pending push a sitting, each ending on its final state', async () => {
      const sittings = Array.from({ length: 200 }, (_, i) => `s${i}`);
      const queue = coalescing(sittings.length);
      const received = new Map<string, number>();
      let receivedCount = 0;
      let burstOver = false;
      const consumer = (async () => {
        for (;;) {
          if (burstOver && queue.depth === 0) return;
          const { value } = await queue.next();
          receivedCount++;
          const last = received.get(value.sittingId) ?? 0;
          expect(value.version).withContext(`${value.sittingId} went back`).toBeGreaterThan(last);
          received.set(value.sittingId, value.version);
          await new Promise((r) => setTimeout(r, 1)); // slow: a push every millisecond or so
        }
      })();
      const final = new Map<string, number>();
      let deepest = 0;
      let pushed = 0;
      for (let round = 1; round <= 50; round++) {
        // presence changes come both alone and as one event per presence transaction
        const some = sittings.filter((_, i) => (i + round) % 3 !== 0);
        if (round % 2) for (const id of some) queue.push(change(id, round));
        else queue.pushMany(some.map((id) => change(id, round)));
        for (const id of some) final.set(id, round);
        pushed += some.length;
        deepest = Math.max(deepest, queue.depth);
        await new Promise((r) => setImmediate(r));
      }
      burstOver = true;
      queue.push(change('s0', 51)); // wakes a consumer waiting on an empty queue
      final.set('s0', 51);
      await consumer;
      expect(queue.closed).withContext('never overflowed').toBeFalse();
      expect(deepest).toBeLessThanOrEqual(sittings.length);
      expect(receivedCount)
        .withContext(`most of the ${pushed} changes were superseded before they were sent`)
        .toBeLessThan(pushed / 4);
      expect([...received]).toEqual([...final]);
    });

    it('overflows when `limit` arrivals wait, as a queue without coalescing does with the same burst', () => {
      const burst = (queue: SubscriptionQueue<Change>) => {
        for (let i = 0; i < 10; i++) queue.push(change(`s${i}`, 1));
      };
      let overflows = 0;
      const room = coalescing(5, () => overflows++);
      burst(room);
      expect(overflows).withContext('ten sittings pending, limit five').toBe(1);
      expect(room.closed).toBeTrue();

      let plainOverflows = 0;
      const plain = new SubscriptionQueue<Change>(
        5,
        () => plainOverflows++,
        () => undefined,
      );
      for (let round = 0; round < 3; round++) for (let i = 0; i < 2; i++) plain.push(change(`s${i}`, round));
      expect(plainOverflows).withContext('every push of a plain queue counts: six pushes of two sittings').toBe(1);
      expect(plain.closed).toBeTrue();

      let fine = 0;
      const coalesced = coalescing(5, () => fine++);
      for (let round = 0; round < 3; round++) for (let i = 0; i < 2; i++) coalesced.push(change(`s${i}`, round));
      expect(fine).withContext('the same six pushes to a coalescing queue are two').toBe(0);
      expect(coalesced.depth).toBe(2);
    });
  });
});
