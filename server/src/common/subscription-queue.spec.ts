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

  it('keeps one pending push per key (a board changed twice is read once)', async () => {
    const queue = new SubscriptionQueue<string>(
      2,
      () => fail('no overflow'),
      () => undefined,
    );
    for (let i = 0; i < 50; i++) queue.push(`board ${i}`, 'board');
    queue.push('resync', 'resync');
    expect(queue.depth).toBe(2);
    expect(await drain(queue, 2)).toEqual(['board 0', 'resync']);
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
});
