import { boardExam, crowdedExam, rawSubscribe, rawSubscribers, type RawSubscriber } from '../../testing/crowd';
import { sleep, startTestServer, type TestServer } from '../../testing/harness';
import { statementsOf } from '../../testing/statements';
import { Sitting } from '../sittings/sitting.entity';
import { sharedExecutions } from '../../common/shared-push';
import { tileOrder, tileOrderKey } from './exam-rules';

/** true once `test` holds; false after `ms` */
async function until(test: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await test()) && Date.now() < deadline) await sleep(20);
  return test();
}

async function subscribersOf(server: TestServer, examId: string): Promise<number> {
  const metric = await server.app.services.metrics.subscribers.get();
  return metric.values.find((v) => v.labels.exam === examId)?.value ?? 0;
}

const selects = (statements: string[]) => statements.filter((sql) => /^\s*select/i.test(sql));

/** what the student's page asks of each push (client/src/app/features/student/exam-page/exam-page.graphql) */
const STUDENT_SITTING =
  'id enteredAt questionsReleasedAt questionsViewedAt ticketNumber endsAt answerStatus answerSavedAt submittedAt answer { id text status files { id } } grade { score comment }';

/**
 * A push costs no database read per subscriber: an event's sittings are read once for all its pushes, and the board's
 * viewers know from their sittings' events whether it is shown. So the reads of a fan-out do not grow with the crowd.
 */
describe('fan-out reads', () => {
  let server: TestServer;
  const subs: RawSubscriber[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const s of subs.splice(0)) s.socket.terminate();
    await server.stop();
  });

  /** N students subscribed to `query` on the exam (subscription ids `sub-<i>`); answers the subscribers */
  async function crowdOn(examId: string, tokens: string[], query: string): Promise<RawSubscriber[]> {
    const opened = await rawSubscribers(tokens.length, 20, (i) =>
      rawSubscribe(server.app.wsUrl, tokens[i], query, { e: examId }, `sub-${i}`),
    );
    subs.push(...opened);
    expect(await until(async () => (await subscribersOf(server, examId)) === tokens.length, 30_000))
      .withContext('all subscribed')
      .toBeTrue();
    await sleep(200); // presence joins published their changes; let them settle
    return opened;
  }

  /** the SELECTs from a release to `count` students (the mutation's and every push's) */
  async function releaseReads(count: number): Promise<number> {
    const crowd = await crowdedExam(server, count);
    const students = await crowdOn(
      crowd.examId,
      crowd.students.map((s) => s.token),
      `subscription($e:ID!){ questionsReleased(examId:$e){ ${STUDENT_SITTING} } }`,
    );
    const statements = await statementsOf(server.app.orm, async () => {
      await server.ok(crowd.staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: crowd.examId });
      expect(await until(() => students.every((s) => s.nexts === 1), 30_000))
        .withContext('every student got the push')
        .toBeTrue();
    });
    expect(students.flatMap((s) => s.errors)).toEqual([]);
    return selects(statements).length;
  }

  it("releases to 30 students with as many reads as to 3: the event's sittings are read once for all the pushes", async () => {
    const few = await releaseReads(3);
    await server.stop();
    server = await startTestServer();
    const many = await releaseReads(30);
    expect(many).withContext(`reads for 3 students: ${few}, for 30: ${many}`).toBe(few);
  }, 120_000);

  /** the SELECTs from one ticket chosen while `count` students watch the board, which each of the others receives */
  async function boardReads(count: number): Promise<number> {
    const crowd = await crowdedExam(server, count);
    const board = await boardExam(server, crowd, 5);
    const viewers = await crowdOn(
      board.examId,
      crowd.students.map((s) => s.token),
      'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id taken } }',
    );
    const boards = new Map<RawSubscriber, { id: string; taken: boolean }[]>();
    for (const viewer of viewers) viewer.onNext = (data) => boards.set(viewer, data.ticketBoardChanged);
    const statements = await statementsOf(server.app.orm, async () => {
      await server.ok(
        crowd.students[0].token,
        'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }',
        { e: board.examId, t: board.ticketIds[0] },
      );
      expect(await until(() => viewers.slice(1).every((v) => v.nexts === 1), 30_000))
        .withContext('every other student got the board')
        .toBeTrue();
      await sleep(300);
    });
    expect(viewers[0].nexts).withContext('not to the student who now holds a ticket').toBe(0);
    expect(viewers.flatMap((v) => v.errors)).toEqual([]);
    const taken = viewers.slice(1).map((v) =>
      boards
        .get(v)
        ?.filter((t) => t.taken)
        .map((t) => t.id),
    );
    expect(new Set(taken.map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify([board.ticketIds[0]])]));
    // the pages' opening (presence) changed nothing a viewer keeps: only the chooser's sitting is re-read
    const rereads = statements.flatMap((sql) => {
      const ids = /from sittings s join exams e on e\.id = s\.exam_id where s\.id in \(([^)]*)\)/i.exec(sql);
      return ids ? [ids[1].split(',').length] : [];
    });
    expect(rereads).withContext('viewer sittings re-read by the push').toEqual([1]);
    return selects(statements).length;
  }

  it('pushes a chosen ticket to 25 viewers of the board with as many reads as to 4', async () => {
    const few = await boardReads(4);
    await server.stop();
    server = await startTestServer();
    const many = await boardReads(25);
    expect(many).withContext(`reads for 4 viewers: ${few}, for 25: ${many}`).toBe(few);
  }, 120_000);

  it('executes a board change once for all its viewers, each receiving the tiles in their own order (R4.2)', async () => {
    const crowd = await crowdedExam(server, 12);
    const board = await boardExam(server, crowd, 7);
    const viewers = await crowdOn(
      board.examId,
      crowd.students.map((s) => s.token),
      'subscription($e:ID!){ tiles: ticketBoardChanged(examId:$e){ id taken } }',
    );
    // one viewer asks for other fields: that is another execution, shared by no one
    const other = await rawSubscribe(
      server.app.wsUrl,
      crowd.students[1].token,
      'subscription($e:ID!){ ticketBoardChanged(examId:$e){ taken id } }',
      { e: board.examId },
    );
    subs.push(other);
    expect(
      await until(async () => (await subscribersOf(server, board.examId)) === viewers.length + 1, 10_000),
    ).toBeTrue();
    const boards = new Map<RawSubscriber, { id: string; taken: boolean }[]>();
    for (const viewer of viewers) viewer.onNext = (data) => boards.set(viewer, data.tiles);
    const before = sharedExecutions.count;
    await server.ok(crowd.students[0].token, 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', {
      e: board.examId,
      t: board.ticketIds[3],
    });
    expect(await until(() => viewers.slice(1).every((v) => v.nexts === 1) && other.nexts === 1, 30_000))
      .withContext('every other student got the board')
      .toBeTrue();
    await sleep(200);
    expect(sharedExecutions.count - before)
      .withContext('one execution per operation, not per viewer')
      .toBe(2);
    expect(viewers.flatMap((v) => v.errors)).toEqual([]);
    expect(viewers[0].nexts).withContext('not to the student who now holds a ticket').toBe(0);
    crowd.students.slice(1).forEach((student, i) => {
      const tiles = boards.get(viewers[i + 1])!;
      expect(tiles.map((t) => t.id))
        .withContext(`student ${i + 1}`)
        .toEqual(Array.from(tileOrder(student.id, board.ticketIds), (k) => board.ticketIds[k]));
      expect(tiles.filter((t) => t.taken).map((t) => t.id)).toEqual([board.ticketIds[3]]);
    });
    expect(new Set(crowd.students.slice(1).map((_, i) => boards.get(viewers[i + 1])![0].id)).size)
      .withContext('orders differ between students')
      .toBeGreaterThan(1);
    // the tiles are serialized once and copied into each frame: each frame still carries its own subscription's id, as text
    viewers.slice(1).forEach((viewer, i) => expect(viewer.nextIds).toEqual([`sub-${i + 1}`]));
    expect(viewers.reduce((sum, v) => sum + v.binaryFrames, 0)).toBe(0);
  }, 60_000);

  it('writes the presence of pages opened together in shared transactions, each student entered once with a trail row (R2.1)', async () => {
    const crowd = await crowdedExam(server, 24);
    const em = server.app.orm.em.fork();
    const sittings = await em.find(Sitting, { exam: crowd.examId }, { populate: ['exam'] });
    const statements = await statementsOf(server.app.orm, () =>
      Promise.all(sittings.map((s) => server.app.services.sittings.socketJoined(em.fork(), s, new Date()))),
    );
    // one batch when the joins resolve in the same turn (in-memory presence); with Redis its replies may split them in a few
    expect(statements.filter((sql) => /^\s*begin/i.test(sql)).length)
      .withContext(statements.join('\n'))
      .toBeLessThan(12);
    const trail = await server.ok(
      crowd.staff,
      'query($e:ID!){ exam(id:$e){ sittings { student { id } enteredAt online events { kind detail } } } }',
      { e: crowd.examId },
    );
    expect(trail.exam.sittings.length).toBe(24);
    for (const sitting of trail.exam.sittings) {
      expect(sitting.enteredAt).withContext(sitting.student.id).toBeTruthy();
      expect(sitting.online).withContext(sitting.student.id).toBeTrue();
      expect(sitting.events)
        .withContext(sitting.student.id)
        .toEqual([{ kind: 'ENTERED', detail: 'exam page opened' }]);
    }
  });

  it('records pages opened and closed over sockets: online, entered once, then left (R2.1)', async () => {
    const crowd = await crowdedExam(server, 12);
    const opened = await crowdOn(
      crowd.examId,
      crowd.students.map((s) => s.token),
      'subscription($e:ID!){ mySittingChanged(examId:$e){ id } }',
    );
    const sittings = async () =>
      (
        await server.ok(crowd.staff, 'query($e:ID!){ exam(id:$e){ sittings { enteredAt online events { kind } } } }', {
          e: crowd.examId,
        })
      ).exam.sittings as { enteredAt: string | null; online: boolean; events: { kind: string }[] }[];
    expect(
      (await sittings()).every(
        (s) => s.online && s.enteredAt && s.events.filter((e) => e.kind === 'ENTERED').length === 1,
      ),
    ).toBeTrue();
    for (const sub of opened) sub.socket.close();
    expect(
      await until(
        async () =>
          (await sittings()).every((s) => !s.online && s.events.filter((e) => e.kind === 'LEFT').length === 1),
        10_000,
      ),
    )
      .withContext('every page closed is recorded as left, once')
      .toBeTrue();
  });

  it("reads a socket's session once, however many subscriptions it opens", async () => {
    const crowd = await crowdedExam(server, 1);
    const client = server.ws(crowd.students[0].token);
    const statements = await statementsOf(server.app.orm, async () => {
      for (const field of ['questionsReleased', 'mySittingChanged', 'ticketBoardChanged', 'examResync']) {
        client.subscribe(
          { query: `subscription($e:ID!){ ${field}(examId:$e){ __typename } }`, variables: { e: crowd.examId } },
          { next: () => {}, error: () => {}, complete: () => {} },
        );
      }
      expect(await until(async () => (await subscribersOf(server, crowd.examId)) === 4, 10_000)).toBeTrue();
    });
    await client.dispose();
    expect(statements.filter((sql) => /from [`"]?auth_sessions/i.test(sql)).length)
      .withContext(statements.join('\n'))
      .toBe(1);
  });

  it('orders the tiles as sorting them by their keys would (R4.2), computing each key once', () => {
    const tiles = Array.from({ length: 40 }, (_, i) => `ticket-${i}`);
    for (const student of ['student-a', 'student-b']) {
      const bySort = [...tiles].sort(
        (a, b) => tileOrderKey(student, a) - tileOrderKey(student, b) || tiles.indexOf(a) - tiles.indexOf(b),
      );
      expect(Array.from(tileOrder(student, tiles), (i) => tiles[i])).toEqual(bySort);
    }
    expect(Array.from(tileOrder('student-a', tiles))).not.toEqual(Array.from(tileOrder('student-b', tiles)));
    expect(Array.from(tileOrder('student-a', tiles)))
      .withContext('stable')
      .toEqual(Array.from(tileOrder('student-a', [...tiles])));
  });

  it('orders large boards, and tiles whose keys agree in their high bits or whole, exactly as sorting by key and index', () => {
    const bySort = (student: string, tiles: string[]) => {
      const keys = tiles.map((t) => tileOrderKey(student, t));
      return tiles.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    };
    // 3,000 tiles: keys are bucketed by their 12 high bits, and many share a bucket; a repeated id's keys agree whole
    const many = Array.from({ length: 3_000 }, (_, i) => `ticket-${i}`);
    const repeated = ['ticket-7', 'ticket-3', 'ticket-7', 'ticket-1', 'ticket-3', 'ticket-7'];
    // beyond 16 bits of index the order is made with packed doubles
    const huge = Array.from({ length: 70_000 }, (_, i) => `t${i}`);
    for (const tiles of [many, repeated, huge])
      for (const student of ['student-a', 'student-b'])
        expect(Array.from(tileOrder(student, tiles)))
          .withContext(`${tiles.length} tiles`)
          .toEqual(bySort(student, tiles));
    const highBitsAlike = (student: string) => {
      const keys = many.map((t) => tileOrderKey(student, t) >>> 20).sort((a, b) => a - b);
      return keys.some((key, i) => i > 0 && keys[i - 1] === key);
    };
    expect(highBitsAlike('student-a') || highBitsAlike('student-b'))
      .withContext('the case of keys alike in their high bits is exercised')
      .toBeTrue();
  });
});
