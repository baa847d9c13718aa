import type { Context } from '../../context';
import type { SittingEventPayload } from '../../common/events';
import type { SubscriptionQueue } from '../../common/subscription-queue';
import { crowdedExam } from '../../testing/crowd';
import { sleep, startTestServer, type TestServer } from '../../testing/harness';
import { pushedSitting } from '../exams/exam-streams';
import { Sitting } from '../sittings/sitting.entity';

/** one pull of a room's queue, built as the sittingChanged resolver builds it (the event's sittings, read once for all) */
async function built(server: TestServer, payload: SittingEventPayload): Promise<Sitting> {
  return pushedSitting({ em: server.app.orm.em.fork() } as unknown as Context, payload);
}

/**
 * Staff's live room on exam day: pages open and close in bursts and staff give extra time meanwhile, every change a push
 * to the room. Its queue holds the newest push of each sitting in place (SubscriptionQueue's `latestOf`), so a room
 * that reads slowly receives fewer pushes than changes, never two pending for one sitting, and ends on every sitting's
 * final state — even when another room built the older pushes first (an event's sittings are read once, by the first).
 */
describe('a slow staff room during a burst of sitting changes', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  it("receives at most one pending push per sitting and ends with each sitting's final state (R2.1)", async () => {
    const N = 40;
    const crowd = await crowdedExam(server, N);
    const { events, sittings } = server.app.services;
    const em = server.app.orm.em.fork();
    const rows = await em.find(Sitting, { exam: crowd.examId }, { populate: ['exam', 'student'] });
    expect(rows.length).toBe(N);

    let drops = 0;
    const drop = () => drops++;
    const fast = events.sittings(crowd.examId, drop);
    const slow = events.sittings(crowd.examId, drop);
    let stopped = false;
    /**
     * pulls (once `reading`, pausing `pauseMs` after each push) until stopped and the queue is empty; answers each
     * sitting's last push as built, how many came, and the most arrivals that waited
     */
    const consume = async (queue: SubscriptionQueue<SittingEventPayload>, pauseMs: number, reading?: Promise<void>) => {
      await reading;
      const last = new Map<string, Sitting>();
      let pushes = 0;
      let deepest = 0;
      let pull: Promise<IteratorResult<SittingEventPayload>> | null = null;
      for (;;) {
        if (stopped && queue.depth === 0) return { last, pushes, deepest };
        deepest = Math.max(deepest, queue.depth);
        pull ??= queue.next();
        const step = await Promise.race([pull, sleep(200).then(() => null)]);
        if (!step) continue; // nothing came yet: look at `stopped` again, then wait on the same pull
        pull = null;
        if (step.done) throw new Error('the room was closed');
        pushes++;
        last.set(step.value.sittingId, await built(server, step.value));
        queue.pushBuilt();
        if (pauseMs) await sleep(pauseMs);
      }
    };
    let lastRound!: () => void;
    const fastRoom = consume(fast, 0);
    // the slow room reads nothing until the last round (a tab in the background), then one push every 25 ms
    const slowRoom = consume(slow, 25, new Promise<void>((resolve) => (lastRound = resolve)));

    const base = Date.now();
    const later = (round: number) => new Date(base + 3 * 3600_000 + round * 60_000);
    let changes = 0;
    for (let round = 1; round <= 5; round++) {
      if (round === 5) lastRound();
      const now = new Date(base + round * 1000);
      // every page opens (odd rounds) or closes (even rounds) at once: presence transactions of many sittings
      await Promise.all(
        rows.map((sitting) =>
          round % 2 ? sittings.socketJoined(em.fork(), sitting, now) : sittings.socketLeft(em.fork(), sitting, now),
        ),
      );
      changes += N;
      // and staff give every student a later end, one sitting at a time
      for (const student of crowd.students.slice(0, N / 2)) {
        await server.ok(
          crowd.staff,
          'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ id } }',
          { e: crowd.examId, s: student.id, t: later(round).toISOString() },
        );
        changes++;
      }
    }
    stopped = true;
    const [f, s] = await Promise.all([fastRoom, slowRoom]);

    expect(drops).withContext('no room was closed').toBe(0);
    expect(s.deepest).withContext('pending in the slow room').toBeLessThanOrEqual(N);
    expect(s.pushes)
      .withContext(`the slow room's pushes for ${changes} changes`)
      .toBeLessThan(changes / 2);
    expect(f.pushes).withContext('the fast room').toBeGreaterThan(s.pushes);

    const fresh = await server.app.orm.em.fork().find(Sitting, { exam: crowd.examId });
    const extended = new Set(crowd.students.slice(0, N / 2).map((student) => student.id));
    for (const room of [f, s]) {
      expect(room.last.size).toBe(N);
      for (const sitting of fresh) {
        const pushed = room.last.get(sitting.id)!;
        const who = `${room === f ? 'fast' : 'slow'} room, ${sitting.id}`;
        expect(pushed.lastSeenAt?.getTime())
          .withContext(who)
          .toBe(new Date(base + 5000).getTime());
        expect(pushed.lastSeenAt?.getTime()).withContext(who).toBe(sitting.lastSeenAt?.getTime());
        expect(pushed.endsAtOverride?.getTime() ?? null)
          .withContext(who)
          .toBe(extended.has(sitting.student.id) ? later(5).getTime() : null);
      }
    }
    for (const sitting of rows)
      expect(await server.app.services.presence.onlineSince(crowd.examId, sitting.student.id))
        .withContext('the last round opened every page')
        .not.toBeNull();
    await fast.return();
    await slow.return();
    // the pages close: nothing is left in a shared Redis for other instances' sweeps to report gone
    await Promise.all(rows.map((sitting) => sittings.socketLeft(em.fork(), sitting, new Date(base + 6000))));
  }, 120_000);
});
