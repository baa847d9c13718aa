import WebSocket from 'ws';
import type { Client as WsClient } from 'graphql-ws';
import {
  addTickets,
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  type TestServer,
  type University,
} from '../../testing/harness';

/** Everything a subscription delivered, so a spec can wait for a push or check that none came. */
class Feed<T = any> {
  readonly pushes: T[] = [];
  readonly errors: { message?: string; extensions?: { code?: string } }[] = [];
  completed = false;
  readonly dispose: () => void;

  constructor(client: WsClient, query: string, variables: Record<string, unknown>) {
    this.dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors?.length) this.errors.push(...(value.errors as never[]));
          else this.pushes.push(value.data as T);
        },
        error: (error) => {
          this.errors.push(
            ...(Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }]),
          );
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  /** resolves true as soon as `test` holds, false once `timeoutMs` passed without it */
  async until(test: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (test()) return true;
      await sleep(10);
    }
    return test();
  }

  get codes() {
    return this.errors.map((e) => e.extensions?.code);
  }
}

/** A raw graphql-transport-ws socket; with autoPong off it never answers the server's pings, like a dead peer. */
async function rawSubscriber(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  autoPong: boolean,
) {
  const socket = new WebSocket(url, 'graphql-transport-ws', { autoPong });
  const messages: any[] = [];
  let pings = 0;
  socket.on('ping', () => pings++);
  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const deadline = Date.now() + 3000;
  while (!messages.some((m) => m.type === 'connection_ack')) {
    if (Date.now() > deadline) throw new Error(`no connection_ack: ${JSON.stringify(messages)}`);
    await sleep(10);
  }
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  return { socket, messages, closed, pings: () => pings };
}

describe('exam subscriptions', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let otherTeacher: string;
  let s: string[];
  const clients: WsClient[] = [];
  const sockets: WebSocket[] = [];

  const SITTING_CHANGED =
    'subscription($e:ID!){ sittingChanged(examId:$e){ id student { id login } online ticketNumber questionsReleasedAt } }';
  const QUESTIONS_RELEASED =
    'subscription($e:ID!){ questionsReleased(examId:$e){ id student { login } ticketNumber questionsReleasedAt } }';
  const BOARD_CHANGED = 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id taken } }';
  const ASSIGN = 'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ ticketNumber } }';

  type SittingPush = {
    sittingChanged: {
      id: string;
      student: { id: string; login: string };
      online: boolean;
      ticketNumber: number | null;
    };
  };

  const ws = (token: string | null) => {
    const client = server.ws(token);
    clients.push(client);
    return client;
  };

  /** updateExam with the exam's own values: changes nothing, but publishes sittingChanged and ticketBoardChanged. */
  async function touchExam(examId: string, ticketAssignment: string) {
    const exam = (
      await server.ok(staff, 'query($e:ID!){ exam(id:$e){ startsAt endsAt sittings { student { id } } } }', {
        e: examId,
      })
    ).exam;
    await server.ok(
      staff,
      'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
      {
        id: examId,
        input: {
          periodId: u.periodId,
          disciplineId: u.disciplineId,
          teacherId: u.teacher.id,
          startsAt: exam.startsAt,
          endsAt: exam.endsAt,
          format: 'TICKETS',
          ticketAssignment,
          studentIds: exam.sittings.map((x: { student: { id: string } }) => x.student.id),
        },
      },
    );
  }

  /** A staff sittingChanged feed that is known to be live: touches the exam until a push arrives, then forgets the pushes. */
  async function liveStaffFeed(examId: string, ticketAssignment: string, token = staff): Promise<Feed<SittingPush>> {
    const feed = new Feed<SittingPush>(ws(token), SITTING_CHANGED, { e: examId });
    for (let i = 0; i < 20 && feed.pushes.length === 0 && feed.errors.length === 0; i++) {
      await touchExam(examId, ticketAssignment);
      await feed.until(() => feed.pushes.length > 0, 250);
    }
    expect(feed.errors).toEqual([]);
    expect(feed.pushes.length).toBeGreaterThan(0);
    await sleep(50);
    feed.pushes.length = 0;
    return feed;
  }

  const presence = (feed: Feed<SittingPush>, login: string, online: boolean) => () =>
    feed.pushes.some((p) => p.sittingChanged.student.login === login && p.sittingChanged.online === online);

  const onlineNow = async (examId: string, login: string): Promise<boolean> => {
    const room = (
      await server.ok(staff, 'query($e:ID!){ exam(id:$e){ sittings { student { login } online } } }', { e: examId })
    ).exam;
    return room.sittings.find((x: { student: { login: string } }) => x.student.login === login).online;
  };

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 6);
    [staff, teacher, otherTeacher, ...s] = await Promise.all([
      server.login('staff'),
      server.login('teacher'),
      server.login('teacher2'),
      ...u.students.map((x) => server.login(x.login)),
    ]);
  }, 30_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const socket of sockets.splice(0)) socket.terminate();
  });
  afterAll(() => server.stop());

  it('pushes questionsReleased to the released student only, once', async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const tickets = await addTickets(server, staff, examId, 3);
    await server.ok(staff, ASSIGN, { e: examId, s: u.students[0].id, t: tickets[0] });
    await server.ok(staff, ASSIGN, { e: examId, s: u.students[1].id, t: tickets[1] });
    const room = await liveStaffFeed(examId, 'STAFF');

    const first = new Feed(ws(s[0]), QUESTIONS_RELEASED, { e: examId });
    const second = new Feed(ws(s[1]), QUESTIONS_RELEASED, { e: examId });
    expect(await room.until(() => presence(room, 's01', true)() && presence(room, 's02', true)(), 2000))
      .withContext('both pages open')
      .toBeTrue();
    await sleep(100);

    await server.ok(staff, 'mutation($e:ID!,$ids:[ID!]){ releaseQuestions(examId:$e, studentIds:$ids){ id } }', {
      e: examId,
      ids: [u.students[0].id],
    });
    expect(await first.until(() => first.pushes.length > 0, 1000))
      .withContext('the released student is told')
      .toBeTrue();
    expect(first.pushes[0].questionsReleased).toEqual(
      jasmine.objectContaining({ student: { login: 's01' }, ticketNumber: 1 }),
    );
    expect(first.pushes[0].questionsReleased.questionsReleasedAt).toBeTruthy();

    await sleep(1000);
    expect(second.pushes).withContext('another student is not told').toEqual([]);
    expect(second.errors).toEqual([]);

    // releasing to everyone now tells the second student, and not the first again
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    expect(await second.until(() => second.pushes.length > 0, 1000)).toBeTrue();
    expect(second.pushes[0].questionsReleased.student).toEqual({ login: 's02' });
    await sleep(300);
    expect(first.pushes.length).toBe(1);
  });

  it('pushes ticketBoardChanged to another student when a ticket is taken: one tile taken, in their order, without numbers', async () => {
    const examId = await createExam(server, staff, u);
    await addTickets(server, staff, examId, 5);
    const room = await liveStaffFeed(examId, 'STUDENT_CHOICE');
    const myBoard = (await server.ok(s[1], 'query($e:ID!){ exam(id:$e){ ticketBoard { id taken } } }', { e: examId }))
      .exam.ticketBoard;

    const board = new Feed(ws(s[1]), BOARD_CHANGED, { e: examId });
    expect(await room.until(presence(room, 's02', true), 2000)).toBeTrue();
    await sleep(100);

    const pick = myBoard[2].id;
    await server.ok(s[0], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }', {
      e: examId,
      t: pick,
    });
    expect(await board.until(() => board.pushes.length > 0, 1000)).toBeTrue();
    const tiles = board.pushes[0].ticketBoardChanged as { id: string; taken: boolean }[];
    expect(tiles.length).toBe(5);
    expect(tiles.filter((t) => t.taken).map((t) => t.id)).toEqual([pick]);
    expect(tiles.map((t) => t.id)).toEqual(myBoard.map((t: { id: string }) => t.id));
    for (const tile of tiles) expect(Object.keys(tile).sort()).toEqual(['id', 'taken']);

    // and the numbers cannot be asked for over the socket either
    const nosy = new Feed(ws(s[1]), 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id number } }', {
      e: examId,
    });
    expect(await nosy.until(() => nosy.errors.length > 0, 1000)).toBeTrue();
    expect(nosy.errors[0].message).toContain('number');
    expect(nosy.pushes).toEqual([]);
  });

  it('delivers ticketBoardChanged only where the ticketBoard field shows the board: not before the start, nor after choosing', async () => {
    const examId = await createExam(server, staff, u, {
      startsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 90 * 60_000).toISOString(),
    });
    await addTickets(server, staff, examId, 3);
    const room = await liveStaffFeed(examId, 'STUDENT_CHOICE');
    const chooser = new Feed(ws(s[0]), BOARD_CHANGED, { e: examId });
    const other = new Feed(ws(s[1]), BOARD_CHANGED, { e: examId });
    // the subscription is kept (the page is open: the student is online), only the pushes are held back
    expect(await room.until(() => presence(room, 's01', true)() && presence(room, 's02', true)(), 2000)).toBeTrue();

    const BOARD = 'query($e:ID!){ exam(id:$e){ ticketBoard { id } } }';
    expect((await server.ok(s[0], BOARD, { e: examId })).exam.ticketBoard).toBeNull();
    await server.ok(
      staff,
      'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id } }',
      { e: examId, n: 4, q: 'Four' },
    );
    await sleep(500);
    expect(chooser.pushes).withContext('before the start').toEqual([]);

    // the exam starts: the board is shown, and pushed (the same subscriptions, so they were live all along)
    const exam = (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ endsAt } }', { e: examId })).exam;
    await server.ok(
      staff,
      'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
      {
        id: examId,
        input: {
          periodId: u.periodId,
          disciplineId: u.disciplineId,
          teacherId: u.teacher.id,
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: exam.endsAt,
          format: 'TICKETS',
          ticketAssignment: 'STUDENT_CHOICE',
          studentIds: u.students.map((x) => x.id),
        },
      },
    );
    expect(await chooser.until(() => chooser.pushes.length === 1, 2000))
      .withContext('once started')
      .toBeTrue();
    expect(await other.until(() => other.pushes.length === 1, 2000)).toBeTrue();
    expect(chooser.pushes[0].ticketBoardChanged.length).toBe(4);

    // s01 chooses: s02 sees the tile taken, s01 (who holds a ticket now, board null) is pushed nothing more
    const tile = (await server.ok(s[0], BOARD, { e: examId })).exam.ticketBoard[0].id;
    await server.ok(s[0], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }', {
      e: examId,
      t: tile,
    });
    expect(await other.until(() => other.pushes.length === 2, 2000)).toBeTrue();
    expect(other.pushes[1].ticketBoardChanged.find((t: { id: string }) => t.id === tile).taken).toBeTrue();
    const free = other.pushes[1].ticketBoardChanged.find((t: { taken: boolean }) => !t.taken).id;
    await server.ok(s[1], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }', {
      e: examId,
      t: free,
    });
    await touchExam(examId, 'STUDENT_CHOICE');
    await sleep(500);
    expect(chooser.pushes.length).withContext('after choosing').toBe(1);
    expect(other.pushes.length).withContext('after choosing').toBe(2);
    expect([...chooser.errors, ...other.errors]).toEqual([]);
    expect(presence(room, 's01', false)())
      .withContext('still online')
      .toBeFalse();
  });

  it('delivers no ticketBoardChanged in RANDOM or STAFF mode, and refuses it to staff and teachers (FORBIDDEN)', async () => {
    for (const mode of ['RANDOM', 'STAFF']) {
      const examId = await createExam(server, staff, u, { ticketAssignment: mode });
      await addTickets(server, staff, examId, 2);
      const room = await liveStaffFeed(examId, mode);
      const board = new Feed(ws(s[2]), BOARD_CHANGED, { e: examId });
      expect(await room.until(presence(room, 's03', true), 2000))
        .withContext(`${mode}: online`)
        .toBeTrue();
      await server.ok(
        staff,
        'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id } }',
        { e: examId, n: 3, q: 'Three' },
      );
      await touchExam(examId, mode);
      await sleep(500);
      expect(board.pushes).withContext(mode).toEqual([]);

      // staff switch the exam to student choice: the board is the student's now, and so are its pushes
      await touchExam(examId, 'STUDENT_CHOICE');
      expect(await board.until(() => board.pushes.length === 1, 2000))
        .withContext(`${mode} → STUDENT_CHOICE`)
        .toBeTrue();
      expect(board.pushes[0].ticketBoardChanged.length).toBe(3);
      expect(board.errors).toEqual([]);
    }

    const examId = await createExam(server, staff, u);
    for (const token of [staff, teacher]) {
      const feed = new Feed(ws(token), BOARD_CHANGED, { e: examId });
      expect(await feed.until(() => feed.errors.length > 0, 2000)).toBeTrue();
      expect(feed.codes).toEqual(['FORBIDDEN']);
      expect(feed.errors[0].message).toContain('sittingChanged');
    }
  });

  it('tells staff within a second that a student opened the exam page, and that they closed it', async () => {
    const examId = await createExam(server, staff, u);
    const room = await liveStaffFeed(examId, 'STUDENT_CHOICE');
    expect(await onlineNow(examId, 's03')).toBeFalse();

    const page = ws(s[2]);
    new Feed(page, BOARD_CHANGED, { e: examId });
    expect(await room.until(presence(room, 's03', true), 1000))
      .withContext('online=true pushed')
      .toBeTrue();
    expect(await onlineNow(examId, 's03')).toBeTrue();

    await page.dispose();
    expect(await room.until(presence(room, 's03', false), 1000))
      .withContext('online=false pushed')
      .toBeTrue();
    expect(await onlineNow(examId, 's03')).toBeFalse();
  });

  it('keeps a student online while a second page is still open', async () => {
    const examId = await createExam(server, staff, u);
    const room = await liveStaffFeed(examId, 'STUDENT_CHOICE');
    const pageA = ws(s[3]);
    const pageB = ws(s[3]);
    new Feed(pageA, BOARD_CHANGED, { e: examId });
    new Feed(pageB, QUESTIONS_RELEASED, { e: examId });
    expect(await room.until(presence(room, 's04', true), 1000)).toBeTrue();
    await sleep(200);

    await pageA.dispose();
    await sleep(700);
    expect(presence(room, 's04', false)())
      .withContext('one page closed')
      .toBeFalse();
    expect(await onlineNow(examId, 's04')).toBeTrue();

    await pageB.dispose();
    expect(await room.until(presence(room, 's04', false), 1000))
      .withContext('last page closed')
      .toBeTrue();
  });

  it("refuses sittingChanged to a student (FORBIDDEN) and to another teacher, and serves the exam's own teacher", async () => {
    const examId = await createExam(server, staff, u);
    const asStudent = new Feed(ws(s[0]), SITTING_CHANGED, { e: examId });
    const asOtherTeacher = new Feed(ws(otherTeacher), SITTING_CHANGED, { e: examId });
    expect(await asStudent.until(() => asStudent.errors.length > 0, 2000)).toBeTrue();
    expect(asStudent.codes).toEqual(['FORBIDDEN']);
    expect(await asOtherTeacher.until(() => asOtherTeacher.errors.length > 0, 2000)).toBeTrue();
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(asOtherTeacher.codes[0]!);

    const own = await liveStaffFeed(examId, 'STUDENT_CHOICE', teacher);
    new Feed(ws(s[4]), BOARD_CHANGED, { e: examId });
    expect(await own.until(presence(own, 's05', true), 1000)).toBeTrue();
    expect(asStudent.pushes).toEqual([]);
  });

  it('pushes mySittingChanged to the student whose sitting changed (extra time, a grade), and to nobody else', async () => {
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Task',
      endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    const MINE = 'subscription($e:ID!){ mySittingChanged(examId:$e){ student { login } endsAt grade { letter } } }';
    const mine = new Feed<any>(ws(s[0]), MINE, { e: examId });
    const other = new Feed<any>(ws(s[1]), MINE, { e: examId });
    const later = new Date(Date.now() + 90 * 60_000).toISOString();
    await sleep(500); // both subscriptions established
    await server.ok(
      staff,
      'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ id } }',
      { e: examId, s: u.students[0].id, t: later },
    );
    expect(await mine.until(() => mine.pushes.some((p) => p.mySittingChanged.endsAt === later), 3000)).toBeTrue();
    expect(mine.pushes.every((p) => p.mySittingChanged.student.login === 's01')).toBeTrue();
    expect(other.pushes.every((p) => p.mySittingChanged.student.login === 's02')).toBeTrue();
    expect(other.pushes.some((p) => p.mySittingChanged.endsAt === later)).toBeFalse();
    expect(mine.errors).toEqual([]);
  });

  it('refuses every subscription without a session (UNAUTHENTICATED)', async () => {
    const examId = await createExam(server, staff, u);
    const anonymous = ws(null);
    const feeds = [SITTING_CHANGED, QUESTIONS_RELEASED, BOARD_CHANGED].map(
      (q) => new Feed(anonymous, q, { e: examId }),
    );
    for (const feed of feeds) {
      expect(await feed.until(() => feed.errors.length > 0, 2000)).toBeTrue();
      expect(feed.codes).toEqual(['UNAUTHENTICATED']);
      expect(feed.pushes).toEqual([]);
    }
    const forged = new Feed(ws('not-a-real-token'), BOARD_CHANGED, { e: examId });
    expect(await forged.until(() => forged.errors.length > 0, 2000)).toBeTrue();
    expect(forged.codes).toEqual(['UNAUTHENTICATED']);
  });

  it('marks a student whose socket stops answering pings offline within ~2 s, and keeps a live one online', async () => {
    const examId = await createExam(server, staff, u);
    const room = await liveStaffFeed(examId, 'STUDENT_CHOICE');

    const live = await rawSubscriber(server.app.wsUrl, s[4], BOARD_CHANGED, { e: examId }, true);
    const dead = await rawSubscriber(server.app.wsUrl, s[5], BOARD_CHANGED, { e: examId }, false);
    sockets.push(live.socket, dead.socket);
    expect(await room.until(() => presence(room, 's05', true)() && presence(room, 's06', true)(), 1000))
      .withContext('both online')
      .toBeTrue();

    expect(await room.until(presence(room, 's06', false), 2000))
      .withContext('the silent socket is marked offline')
      .toBeTrue();
    expect(dead.pings()).toBeGreaterThan(0);
    expect(await Promise.race([dead.closed.then(() => true), sleep(500).then(() => false)]))
      .withContext('the server closed it')
      .toBeTrue();

    // the socket that answers pings outlives several heartbeats
    await sleep(1200);
    expect(live.pings()).toBeGreaterThan(1);
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    expect(presence(room, 's05', false)()).toBeFalse();
    expect(await onlineNow(examId, 's05')).toBeTrue();
    expect(await onlineNow(examId, 's06')).toBeFalse();
    expect(live.messages.filter((m) => m.type === 'error')).toEqual([]);
  });
});
