import { TurnBatch } from './turn-batch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TurnBatch', () => {
  it('runs the items of one turn as one batch, each answered in order', async () => {
    const batches: number[][] = [];
    const batch = new TurnBatch<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    });
    expect(await Promise.all([batch.add(1), batch.add(2), batch.add(3)])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('fails every item of a failed batch with its error', async () => {
    const batch = new TurnBatch<number>(async () => Promise.reject(new Error('no database')));
    const results = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason?.message)).toEqual(['no database', 'no database']);
  });

  it('with a gap, gathers a steady stream of items into fewer batches, and runs a lone item at once', async () => {
    const starts: number[] = [];
    const sizes: number[] = [];
    const batch = new TurnBatch<number>(async (items) => {
      starts.push(performance.now());
      sizes.push(items.length);
      return items.map(() => undefined);
    }, 40);
    // one item every 2 ms or so: a batch per turn would be one batch an item
    const added: Promise<void>[] = [];
    const began = performance.now();
    for (let i = 0; i < 100; i++) {
      added.push(batch.add(i));
      await sleep(2);
    }
    await Promise.all(added);
    const elapsed = performance.now() - began;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
    expect(sizes.length)
      .withContext(`batches: ${sizes.join(', ')} in ${Math.round(elapsed)} ms`)
      .toBeLessThanOrEqual(Math.ceil(elapsed / 40) + 1);
    expect(sizes.length).toBeLessThan(50);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(35); // timers round to the millisecond

    // after a quiet spell, a lone item does not wait for the gap
    const slow = new TurnBatch<number>(async (items) => items.map(() => undefined), 2_000);
    await slow.add(1);
    await sleep(2_050);
    const before = performance.now();
    await slow.add(2);
    expect(performance.now() - before).toBeLessThan(1_000);
  });
});
