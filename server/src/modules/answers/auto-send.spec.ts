import {
  createExam,
  minutes,
  nextPushes,
  seedUniversity,
  sleep,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';

const SAVE = 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ status } }';
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ text status submittedAt sendMode } }';
const DELETE_FILE = 'mutation($e:ID!,$f:ID!){ deleteAnswerFile(examId:$e, fileId:$f){ status } }';
const EXTRA_TIME = 'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ endsAt } }';
const MINE =
  'query($e:ID!){ exam(id:$e){ mySitting { answerStatus answerSendMode draftAfterEnd answer { text status submittedAt sendMode } } } }';
const ROOM = `query($e:ID!){ exam(id:$e){ autoSendAtEnd sittings { student { login } answerStatus submittedAt answerSendMode
  draftAfterEnd answer { text sendMode } events { kind at actor { login } detail } } } }`;
const JOURNAL = `query($y:ID!){ myJournal(academicYearId:$y){ exam { id } sendMode } }`;

const GRACE_MS = 30_000;

/**
 * Issue 11: drafts sent for the student at their end (extra time included), by the server with every page closed,
 * and a Send taken within the grace after the end. The server's clock is moved through `services.now()`.
 */
describe('drafts sent at the end', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[];

  beforeAll(async () => {
    // the sweeper's own ticks stay out of the way (once at start, then hourly): each spec sweeps when it chooses
    server = await startTestServer({ autoSendSweepMs: 3_600_000, sendGraceMs: GRACE_MS, autoSendBatch: 2 });
    u = await seedUniversity(server, 6);
    staff = await server.login('staff');
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterEach(() => {
    server.app.services.now = () => new Date();
  });
  afterAll(() => server.stop());

  const taskExam = (input: Record<string, unknown> = {}) =>
    createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'Explain joins.', ...input });
  const clockAt = (at: number) => {
    server.app.services.now = () => new Date(at);
  };
  const sweep = (at: number) => server.app.services.draftSender.sweep(server.app.orm.em.fork(), new Date(at));
  const room = async (examId: string) => {
    const data = await server.ok(staff, ROOM, { e: examId });
    return new Map<string, any>(data.exam.sittings.map((x: any) => [x.student.login, x]));
  };

  it("sends each qualifying draft at that student's own end, extra time included, once the grace is over", async () => {
    const endsAt = minutes(30);
    const end = Date.parse(endsAt);
    const examId = await taskExam({ endsAt });
    const extraEnd = new Date(end + 10 * 60_000).toISOString();
    await server.ok(staff, EXTRA_TIME, { e: examId, s: u.students[1].id, t: extraEnd });
    await server.ok(s[0], SAVE, { e: examId, t: 'the draft of s01, autosaved' });
    await server.ok(s[1], SAVE, { e: examId, t: 'the draft of s02 with extra time' });
    await server.ok(s[2], SUBMIT, { e: examId, t: 'sent by s03 herself' });

    const before = await room(examId);
    expect(before.get('s01').draftAfterEnd).withContext('nothing of a draft before the end').toBeNull();
    expect(before.get('s01').answer).toBeNull();

    expect(await sweep(end - 1))
      .withContext('before the end')
      .toBe(0);
    expect(await sweep(end + GRACE_MS - 1))
      .withContext('within the grace a late Send may still come')
      .toBe(0);
    const socket = server.ws(s[0]);
    const pushes = nextPushes(
      socket,
      'subscription($e:ID!){ mySittingChanged(examId:$e){ answerStatus answerSendMode } }',
      {
        e: examId,
      },
      2,
    );
    await pushes.started;
    clockAt(end + GRACE_MS);
    expect(await sweep(end + GRACE_MS))
      .withContext("s01 only: s02's end is later")
      .toBe(1);
    // the first push is the page's own arrival (presence); the next, the answer sent
    expect((await pushes.done)[1].mySittingChanged).toEqual({ answerStatus: 'SUBMITTED', answerSendMode: 'AUTOMATIC' });
    await socket.dispose();

    let rows = await room(examId);
    expect(rows.get('s01').answerStatus).toBe('SUBMITTED');
    expect(rows.get('s01').submittedAt).withContext('the end, not the sweep').toBe(new Date(end).toISOString());
    expect(rows.get('s01').answerSendMode).toBe('AUTOMATIC');
    expect(rows.get('s01').answer).toEqual({ text: 'the draft of s01, autosaved', sendMode: 'AUTOMATIC' });
    expect(rows.get('s02').answerStatus).toBe('DRAFT');
    expect(rows.get('s02').draftAfterEnd).withContext('still writing: extra time').toBeNull();
    expect(rows.get('s03').answerSendMode).toBe('STUDENT');

    const trail = rows.get('s01').events.filter((e: any) => e.kind === 'ANSWER_SENT_AT_END');
    expect(trail).toEqual([
      { kind: 'ANSWER_SENT_AT_END', at: new Date(end).toISOString(), actor: null, detail: '27 characters, 0 file(s)' },
    ]);

    const extra = Date.parse(extraEnd);
    clockAt(extra + GRACE_MS);
    expect(await sweep(extra + GRACE_MS)).toBe(1);
    rows = await room(examId);
    expect(rows.get('s02').submittedAt).withContext('the end with extra time').toBe(extraEnd);
    expect(rows.get('s02').answerSendMode).toBe('AUTOMATIC');

    const own = await server.ok(s[1], MINE, { e: examId });
    expect(own.exam.mySitting.answer).toEqual({
      text: 'the draft of s02 with extra time',
      status: 'SUBMITTED',
      submittedAt: extraEnd,
      sendMode: 'AUTOMATIC',
    });
    const journal = await server.ok(s[1], JOURNAL, { y: u.yearId });
    expect(journal.myJournal.find((r: any) => r.exam.id === examId).sendMode).toBe('AUTOMATIC');
    expect(await sweep(extra + GRACE_MS + 60_000))
      .withContext('nothing is sent twice')
      .toBe(0);
  });

  it('leaves a draft with too little to count unsent, and says so to staff after the end', async () => {
    const endsAt = minutes(30);
    const end = Date.parse(endsAt);
    const examId = await taskExam({ endsAt });
    // a draft row with no text: a file uploaded, then deleted
    const up = await uploadFiles(server, s[3], `/files/answers/${examId}`, [{ name: 'a.txt', content: 'a file' }]);
    expect(up.status).toBe(201);
    await server.ok(s[3], DELETE_FILE, { e: examId, f: up.body.files[0].id });
    await server.ok(s[4], SAVE, { e: examId, t: 'long enough draft' });

    clockAt(end + GRACE_MS);
    expect(await sweep(end + GRACE_MS)).toBe(1);
    const rows = await room(examId);
    expect(rows.get('s04').answerStatus).toBe('DRAFT');
    expect(rows.get('s04').draftAfterEnd).toBe('TOO_SHORT');
    expect(rows.get('s04').answer).withContext('a draft stays its author’s').toBeNull();
    expect(rows.get('s04').events.some((e: any) => e.kind === 'ANSWER_SENT_AT_END')).toBeFalse();
    expect(rows.get('s05').answerSendMode).toBe('AUTOMATIC');
    const own = await server.ok(s[3], MINE, { e: examId });
    expect(own.exam.mySitting.draftAfterEnd).toBe('TOO_SHORT');
  });

  it('does nothing at an exam that does not send drafts', async () => {
    const endsAt = minutes(30);
    const end = Date.parse(endsAt);
    const examId = await taskExam({ endsAt, autoSendAtEnd: false });
    await server.ok(s[0], SAVE, { e: examId, t: 'a draft at an exam without auto-send' });
    clockAt(end + GRACE_MS);
    expect(await sweep(end + GRACE_MS + 60_000)).toBe(0);
    const rows = await room(examId);
    expect(rows.get('s01').answerStatus).toBe('DRAFT');
    expect(rows.get('s01').draftAfterEnd).toBe('AUTO_SEND_OFF');
    const other = await room(await taskExam());
    expect([...other.values()].length).toBe(6);
    const flags = await server.ok(
      staff,
      'query($a:ID!,$b:ID!){ a: exam(id:$a){ autoSendAtEnd } b: exam(id:$b){ autoSendAtEnd } }',
      {
        a: examId,
        b: await taskExam(),
      },
    );
    expect(flags).toEqual({ a: { autoSendAtEnd: false }, b: { autoSendAtEnd: true } });
  });

  it('sends each draft once when two sweepers run at once (one trail entry each), in bounded rounds', async () => {
    const endsAt = minutes(30);
    const end = Date.parse(endsAt);
    const examId = await taskExam({ endsAt });
    // five drafts: more than one round of AUTO_SEND_BATCH (2) for each sweeper
    await Promise.all([0, 1, 2, 3, 4].map((i) => server.ok(s[i], SAVE, { e: examId, t: `draft number ${i} of many` })));
    clockAt(end + GRACE_MS);
    const [a, b] = await Promise.all([sweep(end + GRACE_MS), sweep(end + GRACE_MS)]);
    expect(a + b).toBe(5);
    const rows = await room(examId);
    for (const i of [0, 1, 2, 3, 4]) {
      const row = rows.get(u.students[i].login);
      expect(row.answerSendMode).withContext(row.student.login).toBe('AUTOMATIC');
      expect(row.events.filter((e: any) => e.kind === 'ANSWER_SENT_AT_END').length)
        .withContext(row.student.login)
        .toBe(1);
    }
  });

  it('takes a Send 10 s after the end (marked), refuses one 40 s after, and never a save after the end', async () => {
    const endsAt = minutes(30);
    const end = Date.parse(endsAt);
    const examId = await taskExam({ endsAt });
    await server.ok(s[0], SAVE, { e: examId, t: 'an autosaved draft' });
    await server.ok(s[1], SAVE, { e: examId, t: 'another autosaved draft' });

    clockAt(end + 10_000);
    expect(await server.code(s[0], SAVE, { e: examId, t: 'a save after the end' })).toBe('EXAM_ENDED');
    const late = await server.ok(s[0], SUBMIT, { e: examId, t: 'the final text, sent just before the end' });
    expect(late.submitAnswer).toEqual({
      text: 'the final text, sent just before the end',
      status: 'SUBMITTED',
      submittedAt: new Date(end + 10_000).toISOString(),
      sendMode: 'LATE_WITHIN_GRACE',
    });

    clockAt(end + 40_000);
    const refused = await server.gql(s[1], SUBMIT, { e: examId, t: 'too late a send' });
    expect(refused.errors?.[0].extensions?.code).toBe('EXAM_ENDED');
    expect(refused.errors?.[0].message).toMatch(/30 s after it/);

    expect(await sweep(end + 40_000))
      .withContext("s02's draft; s01's was sent late, not again")
      .toBe(1);
    const rows = await room(examId);
    expect(rows.get('s01').answerSendMode).toBe('LATE_WITHIN_GRACE');
    expect(rows.get('s01').events.map((e: any) => e.kind)).toContain('ANSWER_SENT_IN_GRACE');
    expect(rows.get('s01').events.map((e: any) => e.kind)).not.toContain('ANSWER_SENT_AT_END');
    expect(rows.get('s02').answer).toEqual({ text: 'another autosaved draft', sendMode: 'AUTOMATIC' });
  });
});

describe('drafts sent at the end, by the server on its own', () => {
  let server: TestServer;
  let u: University;

  beforeAll(async () => {
    server = await startTestServer({ autoSendSweepMs: 200, sendGraceMs: 0 });
    u = await seedUniversity(server, 1);
  });
  afterAll(() => server.stop());

  it('sends a draft within moments of the end with no page open, and survives a failing sweep', async () => {
    const staff = await server.login('staff');
    const student = await server.login('s01');
    const endsAt = new Date(Date.now() + 1_500).toISOString();
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain joins.',
      endsAt,
    });
    await server.ok(student, SAVE, { e: examId, t: 'written, never sent by hand' });
    // one sweep fails (as a database error would): logged, and the next tick sends
    const sender = server.app.services.draftSender;
    const original = sender.sweep.bind(sender);
    let failed = 0;
    sender.sweep = async (em, now) => {
      if (!failed++) throw new Error('simulated database outage');
      return original(em, now);
    };
    let status: string | undefined;
    for (let i = 0; i < 50 && status !== 'SUBMITTED'; i++) {
      await sleep(100);
      const data = await server.ok(student, MINE, { e: examId });
      status = data.exam.mySitting.answerStatus;
    }
    expect(failed).toBeGreaterThan(1);
    expect(status).toBe('SUBMITTED');
    const mine = await server.ok(student, MINE, { e: examId });
    expect(mine.exam.mySitting.answer.submittedAt).toBe(endsAt);
    expect(mine.exam.mySitting.answerSendMode).toBe('AUTOMATIC');
  });
});
