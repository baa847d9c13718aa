import type { Client as WsClient } from 'graphql-ws';
import {
  createExam,
  minutes,
  seedUniversity,
  sleep,
  startTestServer,
  updateExam,
  type TestServer,
  type University,
} from '../../testing/harness';
import { statementsOf } from '../../testing/statements';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { GradeChangeKind } from './grade-change.entity';

const TASK = { format: 'TASK', ticketAssignment: null, taskText: 'Explain transactions.' };
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const GRADE =
  'mutation($s:ID!,$score:Int!,$c:String){ gradeSitting(sittingId:$s, score:$score, comment:$c){ id gradePublishedAt grade { score letter comment } } }';
const PUBLISH =
  'mutation($e:ID!){ publishResults(examId:$e){ id resultsRelease resultsPublishedAt resultsPublishedBy { login } } }';
const CORRECT =
  'mutation($s:ID!,$score:Int!,$r:String!){ correctGrade(sittingId:$s, score:$score, reason:$r){ id grade { score letter gpa } gradeHistory { kind score previousScore reason actor { login } } } }';
const MINE =
  'query($e:ID!){ exam(id:$e){ resultsRelease resultsPublishedAt resultsPublishedBy { login } mySitting { gradePublishedAt grade { score letter gpa comment } gradeHistory { seq kind score } } } }';
const ROOM =
  'query($e:ID!){ exam(id:$e){ resultsPublishedAt resultsPublishedBy { login } sittings { id student { login } gradePublishedAt grade { score } gradeHistory { kind score actor { login } } events { kind detail } } } }';
const JOURNAL =
  'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ student { login } exam { id } gradeDraft grade { score letter } gradeHistory { kind score previousScore reason } } }';
const MY_JOURNAL =
  'query($y:ID!){ myJournal(academicYearId:$y){ exam { id } gradeDraft grade { score letter comment } gradeHistory { kind score } } }';
const MY_PUSH =
  'subscription($e:ID!){ mySittingChanged(examId:$e){ gradePublishedAt grade { score letter comment } gradeHistory { kind score } } }';
const ROOM_PUSH =
  'subscription($e:ID!){ sittingChanged(examId:$e){ student { login } gradePublishedAt grade { score } } }';

type Row = { student: { login: string }; exam: { id: string } };

/** Everything a subscription delivered. */
function feed(client: WsClient, query: string, variables: Record<string, unknown>) {
  const pushes: any[] = [];
  const errors: unknown[] = [];
  client.subscribe(
    { query, variables },
    {
      next: (value) => (value.errors ? errors.push(...value.errors) : pushes.push(value.data)),
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    pushes,
    errors,
    async until(test: () => boolean, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !test()) await sleep(10);
      return test();
    },
  };
}

/** issue 12: grades are drafts until the exam's results are published; then they change only with a reason. */
describe('grade publication', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let otherTeacher: string;
  let s: string[];
  const sockets: WsClient[] = [];
  const ws = (token: string) => {
    const client = server.ws(token);
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ sendGraceMs: 0 });
    u = await seedUniversity(server, 5);
    [staff, teacher, otherTeacher] = await Promise.all([
      server.login('staff'),
      server.login('teacher'),
      server.login('teacher2'),
    ]);
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterAll(async () => {
    for (const client of sockets) await client.dispose();
    await server.stop();
  });

  /** an open ON_PUBLICATION task exam where s01..s03 sent answers; its sitting ids by login */
  async function examWithAnswers(input: Record<string, unknown> = {}) {
    const examId = await createExam(server, staff, u, { ...TASK, ...input });
    for (const token of s.slice(0, 3)) await server.ok(token, SUBMIT, { e: examId, t: 'ACID and isolation levels' });
    const room = await server.ok(teacher, ROOM, { e: examId });
    const sittingOf: Record<string, string> = Object.fromEntries(
      room.exam.sittings.map((x: { id: string; student: { login: string } }) => [x.student.login, x.id]),
    );
    return { examId, sittingOf };
  }
  const endExam = (examId: string, input: Record<string, unknown> = {}) =>
    updateExam(server, staff, u, examId, { ...TASK, startsAt: minutes(-60), endsAt: minutes(-1), ...input });
  const journalOf = async (examId: string) =>
    (await server.ok(staff, JOURNAL, { d: u.disciplineId, p: u.periodId })).journal.filter(
      (r: Row) => r.exam.id === examId,
    );
  const myJournalRow = async (token: string, examId: string) =>
    (await server.ok(token, MY_JOURNAL, { y: u.yearId })).myJournal.find((r: Row) => r.exam.id === examId);

  it('makes a new exam ON_PUBLICATION unless its form says AT_ONCE', async () => {
    const plain = await createExam(server, staff, u, TASK);
    const atOnce = await createExam(server, staff, u, { ...TASK, resultsRelease: 'AT_ONCE' });
    expect((await server.ok(staff, MINE, { e: plain })).exam.resultsRelease).toBe('ON_PUBLICATION');
    expect((await server.ok(s[0], MINE, { e: atOnce })).exam.resultsRelease).toBe('AT_ONCE');
    await updateExam(server, staff, u, plain, { ...TASK, resultsRelease: 'AT_ONCE' });
    expect((await server.ok(staff, MINE, { e: plain })).exam.resultsRelease).toBe('AT_ONCE');
  });

  it('keeps a draft grade from the student in every read: query, history, journal and push', async () => {
    const { examId, sittingOf } = await examWithAnswers();
    const mine = feed(ws(s[0]), MY_PUSH, { e: examId });
    const room = feed(ws(teacher), ROOM_PUSH, { e: examId });
    await sleep(300);
    const graded = await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 87, c: 'Good' });
    expect(graded.gradeSitting).toEqual({
      id: sittingOf.s01,
      gradePublishedAt: null,
      grade: { score: 87, letter: 'B+', comment: 'Good' },
    });
    // the teacher still changes the draft
    await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 88, c: 'Good work' });
    expect(await room.until(() => room.pushes.some((p) => p.sittingChanged.grade?.score === 88))).toBeTrue();

    const page = (await server.ok(s[0], MINE, { e: examId })).exam;
    expect(page.resultsPublishedAt).toBeNull();
    expect(page.mySitting).toEqual({ gradePublishedAt: null, grade: null, gradeHistory: [] });
    expect(await myJournalRow(s[0], examId)).toEqual({
      exam: { id: examId },
      gradeDraft: false,
      grade: null,
      gradeHistory: [],
    });
    await sleep(300); // any push to the student has arrived
    expect(mine.errors).toEqual([]);
    for (const push of mine.pushes) expect(push.mySittingChanged.grade).toBeNull();

    const rows = await journalOf(examId);
    expect(rows.find((r: Row) => r.student.login === 's01')).toEqual(
      jasmine.objectContaining({ gradeDraft: true, grade: null, gradeHistory: [] }),
    );
    expect(rows.find((r: Row) => r.student.login === 's02').gradeDraft).toBeFalse();
  });

  it('refuses publication to students, other teachers and AT_ONCE exams, before the end and with answers ungraded', async () => {
    const { examId, sittingOf } = await examWithAnswers();
    expect(await server.code(s[0], PUBLISH, { e: examId })).toBe('FORBIDDEN');
    expect(await server.code(otherTeacher, PUBLISH, { e: examId })).toBe('NOT_FOUND');
    expect(await server.code(null, PUBLISH, { e: examId })).toBe('UNAUTHENTICATED');
    const open = await server.gql(teacher, PUBLISH, { e: examId });
    expect(open.errors?.[0]?.extensions?.code).toBe('EXAM_NOT_ENDED');

    // extra time for one student keeps the exam open for publication
    await endExam(examId);
    await server.ok(
      staff,
      'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ id } }',
      {
        e: examId,
        s: u.students[4].id,
        t: minutes(10),
      },
    );
    expect(await server.code(staff, PUBLISH, { e: examId })).toBe('EXAM_NOT_ENDED');
    await server.ok(staff, 'mutation($e:ID!,$s:ID!){ setExtraTime(examId:$e, studentId:$s, endsAt:null){ id } }', {
      e: examId,
      s: u.students[4].id,
    });

    await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 70 });
    const ungraded = await server.gql(teacher, PUBLISH, { e: examId });
    expect(ungraded.errors?.[0]?.extensions).toEqual(
      jasmine.objectContaining({ code: 'UNGRADED_ANSWERS', ungraded: 2 }),
    );
    expect(ungraded.errors?.[0]?.message).toContain('2 sent answers are not graded');
    expect((await server.ok(staff, MINE, { e: examId })).exam.resultsPublishedAt).toBeNull();
    expect((await server.ok(s[0], MINE, { e: examId })).exam.mySitting.grade).toBeNull();

    const atOnce = await createExam(server, staff, u, {
      ...TASK,
      resultsRelease: 'AT_ONCE',
      startsAt: minutes(-60),
      endsAt: minutes(-1),
    });
    expect(await server.code(staff, PUBLISH, { e: atOnce })).toBe('BAD_USER_INPUT');
  });

  it("publishes every graded sitting at once: the students' pages, pushes, journal, history and trail", async () => {
    const { examId, sittingOf } = await examWithAnswers();
    await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 87, c: 'Good' });
    await server.ok(teacher, GRADE, { s: sittingOf.s02, score: 40 });
    await server.ok(staff, GRADE, { s: sittingOf.s03, score: 95 });
    await endExam(examId);
    const mine = feed(ws(s[0]), MY_PUSH, { e: examId });
    const absent = feed(ws(s[3]), MY_PUSH, { e: examId });
    const room = feed(ws(staff), ROOM_PUSH, { e: examId });
    await sleep(300);

    const before = Date.now();
    const published = (await server.ok(teacher, PUBLISH, { e: examId })).publishResults;
    expect(published.resultsRelease).toBe('ON_PUBLICATION');
    expect(Date.parse(published.resultsPublishedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(published.resultsPublishedBy).toEqual({ login: 'teacher' });

    expect(await mine.until(() => mine.pushes.some((p) => p.mySittingChanged.grade?.score === 87))).toBeTrue();
    expect(mine.pushes.at(-1).mySittingChanged).toEqual({
      gradePublishedAt: published.resultsPublishedAt,
      grade: { score: 87, letter: 'B+', comment: 'Good' },
      gradeHistory: [{ kind: 'PUBLISHED', score: 87 }],
    });
    expect(
      await room.until(() =>
        ['s01', 's02', 's03'].every((l) =>
          room.pushes.some((p) => p.sittingChanged.student.login === l && p.sittingChanged.gradePublishedAt),
        ),
      ),
    ).toBeTrue();
    // nothing of theirs was published (their own presence may push to them)
    for (const push of absent.pushes)
      expect(push.mySittingChanged).toEqual({ gradePublishedAt: null, grade: null, gradeHistory: [] });

    const page = (await server.ok(s[0], MINE, { e: examId })).exam;
    expect(page.resultsPublishedBy).toBeNull(); // who published is for staff and the teacher
    expect(page.mySitting.grade).toEqual({ score: 87, letter: 'B+', gpa: 3.33, comment: 'Good' });
    expect(page.mySitting.gradeHistory).toEqual([{ seq: jasmine.any(Number), kind: 'PUBLISHED', score: 87 }]);
    expect((await server.ok(s[3], MINE, { e: examId })).exam.mySitting.grade).toBeNull();
    expect((await myJournalRow(s[1], examId)).grade).toEqual({ score: 40, letter: 'FX', comment: null });

    const rows = await journalOf(examId);
    expect(
      rows.map((r: { grade: { score: number } | null; gradeDraft: boolean }) => [r.grade?.score ?? null, r.gradeDraft]),
    ).toEqual([
      [87, false],
      [40, false],
      [95, false],
      [null, false],
      [null, false],
    ]);
    const staffRoom = (await server.ok(staff, ROOM, { e: examId })).exam;
    const s03 = staffRoom.sittings.find((x: Row) => x.student.login === 's03');
    expect(s03.gradeHistory).toEqual([{ kind: 'PUBLISHED', score: 95, actor: { login: 'teacher' } }]);
    expect(s03.events.filter((e: { kind: string }) => e.kind === 'GRADE_PUBLISHED')).toEqual([
      { kind: 'GRADE_PUBLISHED', detail: '95 (A)' },
    ]);

    // publishing twice is refused, and nothing is written again
    expect(await server.code(staff, PUBLISH, { e: examId })).toBe('RESULTS_ALREADY_PUBLISHED');
    expect((await server.ok(s[2], MINE, { e: examId })).exam.mySitting.gradeHistory.length).toBe(1);
  });

  it('after publication refuses grading a published grade, and publishes a first grade at once', async () => {
    const { examId, sittingOf } = await examWithAnswers();
    for (const login of ['s01', 's02', 's03']) await server.ok(teacher, GRADE, { s: sittingOf[login], score: 75 });
    await endExam(examId);
    await server.ok(staff, PUBLISH, { e: examId });
    const refused = await server.gql(teacher, GRADE, { s: sittingOf.s01, score: 90 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRADE_PUBLISHED');
    expect(refused.errors?.[0]?.message).toContain('correctGrade');
    expect(await server.code(staff, GRADE, { s: sittingOf.s01, score: 90 })).toBe('GRADE_PUBLISHED');
    expect((await server.ok(s[0], MINE, { e: examId })).exam.mySitting.grade.score).toBe(75);

    // the absent student's 0, given after publication, reaches them at once
    const absent = await server.ok(teacher, GRADE, { s: sittingOf.s04, score: 0, c: 'No answer was sent.' });
    expect(absent.gradeSitting.gradePublishedAt).not.toBeNull();
    expect((await server.ok(s[3], MINE, { e: examId })).exam.mySitting.gradeHistory).toEqual([
      { seq: jasmine.any(Number), kind: 'PUBLISHED', score: 0 },
    ]);
    // the release is fixed once grades are out
    expect(
      await server.code(
        staff,
        'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
        {
          id: examId,
          input: {
            periodId: u.periodId,
            disciplineId: u.disciplineId,
            teacherId: u.teacher.id,
            startsAt: minutes(-60),
            endsAt: minutes(-1),
            studentIds: u.students.map((x) => x.id),
            resultsRelease: 'AT_ONCE',
            ...TASK,
          },
        },
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('lets only staff correct a published grade, with a reason, and keeps both entries in its history', async () => {
    const { examId, sittingOf } = await examWithAnswers();
    for (const login of ['s01', 's02', 's03']) await server.ok(teacher, GRADE, { s: sittingOf[login], score: 60 });
    const draft = await server.gql(staff, CORRECT, { s: sittingOf.s01, score: 70, r: 'Recount' });
    expect(draft.errors?.[0]?.extensions?.code).toBe('GRADE_NOT_PUBLISHED');
    await endExam(examId);
    await server.ok(teacher, PUBLISH, { e: examId });
    const mine = feed(ws(s[0]), MY_PUSH, { e: examId });
    await sleep(300);

    expect(await server.code(teacher, CORRECT, { s: sittingOf.s01, score: 70, r: 'Recount' })).toBe('FORBIDDEN');
    expect(await server.code(s[0], CORRECT, { s: sittingOf.s01, score: 100, r: 'Mine' })).toBe('FORBIDDEN');
    expect(await server.code(staff, CORRECT, { s: sittingOf.s01, score: 70, r: '   ' })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, CORRECT, { s: sittingOf.s01, score: 70, r: 'x'.repeat(2001) })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await server.code(staff, CORRECT, { s: sittingOf.s01, score: 101, r: 'Recount' })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, CORRECT, { s: sittingOf.s01, score: 60, r: 'Same' })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, CORRECT, { s: '00000000-0000-4000-8000-000000000000', score: 70, r: 'x' })).toBe(
      'NOT_FOUND',
    );
    expect((await server.ok(s[0], MINE, { e: examId })).exam.mySitting.grade.score).toBe(60);

    const corrected = (
      await server.ok(staff, CORRECT, { s: sittingOf.s01, score: 72, r: ' Question 3 was not counted ' })
    ).correctGrade;
    expect(corrected.grade).toEqual({ score: 72, letter: 'C+', gpa: 2.33 });
    expect(corrected.gradeHistory).toEqual([
      { kind: 'PUBLISHED', score: 60, previousScore: null, reason: null, actor: { login: 'teacher' } },
      {
        kind: 'CORRECTED',
        score: 72,
        previousScore: 60,
        reason: 'Question 3 was not counted',
        actor: { login: 'staff' },
      },
    ]);
    expect(await mine.until(() => mine.pushes.some((p) => p.mySittingChanged.grade?.score === 72))).toBeTrue();
    expect(
      (await server.ok(s[0], MINE, { e: examId })).exam.mySitting.gradeHistory.map((h: { kind: string }) => h.kind),
    ).toEqual(['PUBLISHED', 'CORRECTED']);
    const row = (await journalOf(examId)).find((r: Row) => r.student.login === 's01');
    expect(row.grade).toEqual({ score: 72, letter: 'C+' });
    expect(row.gradeHistory.map((h: { kind: string; reason: string | null }) => [h.kind, h.reason])).toEqual([
      ['PUBLISHED', null],
      ['CORRECTED', 'Question 3 was not counted'],
    ]);
    const trail = (await server.ok(teacher, ROOM, { e: examId })).exam.sittings.find(
      (x: Row) => x.student.login === 's01',
    ).events;
    expect(trail.filter((e: { kind: string }) => e.kind === 'GRADE_CORRECTED')).toEqual([
      { kind: 'GRADE_CORRECTED', detail: '60 → 72 (C+)' },
    ]);
  });

  it('publishes each grade as it is saved at an AT_ONCE exam, and then only corrections change it', async () => {
    const { examId, sittingOf } = await examWithAnswers({ resultsRelease: 'AT_ONCE' });
    const mine = feed(ws(s[0]), MY_PUSH, { e: examId });
    await sleep(300);
    const graded = (await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 55 })).gradeSitting;
    expect(graded.gradePublishedAt).not.toBeNull();
    expect(await mine.until(() => mine.pushes.some((p) => p.mySittingChanged.grade?.score === 55))).toBeTrue();
    expect((await server.ok(s[0], MINE, { e: examId })).exam.mySitting.gradeHistory).toEqual([
      { seq: jasmine.any(Number), kind: 'PUBLISHED', score: 55 },
    ]);
    expect(await server.code(teacher, GRADE, { s: sittingOf.s01, score: 65 })).toBe('GRADE_PUBLISHED');
    await server.ok(staff, CORRECT, { s: sittingOf.s01, score: 65, r: 'Typo' });
    expect((await myJournalRow(s[0], examId)).grade.score).toBe(65);
  });

  it('publishes many sittings with a bounded number of statements', async () => {
    const examId = await createExam(server, staff, u, { ...TASK, startsAt: minutes(-60), endsAt: minutes(-1) });
    const room = await server.ok(teacher, ROOM, { e: examId });
    for (const sitting of room.exam.sittings) await server.ok(teacher, GRADE, { s: sitting.id, score: 80 });
    const sent = await statementsOf(server.app.orm, () => server.ok(teacher, PUBLISH, { e: examId }));
    const writes = sent.filter((sql) => /^\s*(insert|update)/i.test(sql));
    // claim the exam, publish the sittings, their history, their trail: one statement each for 5 sittings
    expect(writes.length).toBe(4);
    expect(
      (await journalOf(examId)).every((r: { grade: { score: number } | null }) => r.grade?.score === 80),
    ).toBeTrue();
  });

  it("records an appeal's decision through changePublishedGrade, a kept score too, pushing only after the caller's commit", async () => {
    const { examId, sittingOf } = await examWithAnswers();
    for (const login of ['s01', 's02', 's03']) await server.ok(teacher, GRADE, { s: sittingOf[login], score: 70 });
    await endExam(examId);
    await server.ok(staff, PUBLISH, { e: examId });
    const mine = feed(ws(s[0]), MY_PUSH, { e: examId });
    await sleep(300);
    const { grades } = server.app.services;
    const em = server.app.orm.em.fork();
    const commission = await em.findOneOrFail(User, { login: 'teacher2' });
    const decided = (p: any) =>
      p.mySittingChanged.gradeHistory.some((h: { kind: string }) => h.kind === 'APPEAL_DECIDED');
    let kept: Sitting | undefined;
    await em.transactional(async (tx) => {
      const sitting = await tx.findOneOrFail(Sitting, { id: sittingOf.s01 }, { populate: ['exam'] });
      kept = sitting;
      await grades.changePublishedGrade(
        tx,
        commission,
        sitting,
        70,
        'The commission keeps the score.',
        GradeChangeKind.APPEAL_DECIDED,
        new Date(),
      );
      const changed = await tx.findOneOrFail(Sitting, { id: sittingOf.s02 }, { populate: ['exam'] });
      await grades.changePublishedGrade(
        tx,
        commission,
        changed,
        76,
        'Question 2 deserves more.',
        GradeChangeKind.APPEAL_DECIDED,
        new Date(),
      );
    });
    await sleep(300);
    expect(mine.pushes.some(decided)).toBeFalse(); // inside the caller's transaction nothing was pushed
    grades.gradeChanged(kept!); // the caller's push, after its commit
    expect(await mine.until(() => mine.pushes.some(decided))).toBeTrue();
    const history = async (token: string) => (await server.ok(token, MINE, { e: examId })).exam.mySitting.gradeHistory;
    expect((await history(s[0])).map((h: { kind: string; score: number }) => [h.kind, h.score])).toEqual([
      ['PUBLISHED', 70],
      ['APPEAL_DECIDED', 70],
    ]);
    expect((await history(s[1])).map((h: { kind: string; score: number }) => [h.kind, h.score])).toEqual([
      ['PUBLISHED', 70],
      ['APPEAL_DECIDED', 76],
    ]);
    const trail = (await server.ok(staff, ROOM, { e: examId })).exam.sittings.find(
      (x: Row) => x.student.login === 's02',
    ).events;
    expect(trail.filter((e: { kind: string }) => e.kind === 'GRADE_CHANGED_ON_APPEAL')).toEqual([
      { kind: 'GRADE_CHANGED_ON_APPEAL', detail: '70 → 76 (B-)' },
    ]);
    // a correction, unlike a decision, must change the score
    const again = await em.findOneOrFail(Sitting, { id: sittingOf.s02 }, { populate: ['exam'], refresh: true });
    await expectAsync(
      grades.changePublishedGrade(em, commission, again, 76, 'No change', GradeChangeKind.CORRECTED, new Date()),
    ).toBeRejectedWith(jasmine.objectContaining({ extensions: jasmine.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });

  it('publishes an exam of 1,200 students in one transaction of a few multi-row statements', async () => {
    const big = await startTestServer({ sendGraceMs: 0 });
    try {
      const uni = await seedUniversity(big, 1_200);
      const staffToken = await big.login('staff');
      const examId = await createExam(big, staffToken, uni, { ...TASK, startsAt: minutes(-60), endsAt: minutes(-1) });
      // graded straight in the database: 1,200 requests would test grading, not publication
      const em = big.app.orm.em.fork();
      await em
        .getConnection()
        .execute(
          `update sittings set score = 80, letter = 'B', gpa = 3, graded_at = created_at, graded_by_id = ? where exam_id = ?`,
          [uni.teacher.id, examId],
        );
      const sent = await statementsOf(big.app.orm, () => big.ok(staffToken, PUBLISH, { e: examId }));
      const writes = sent.filter((sql) => /^\s*(insert|update)/i.test(sql));
      // the exam, the sittings (one UPDATE … RETURNING), then history 500 rows a statement, and the trail's rows (all
      // alike but for their sitting: one grade) 1,000 a statement
      expect(writes.length).toBe(2 + 3 + 2);
      const [{ n }] = await em
        .getConnection()
        .execute(
          `select count(*) as n from grade_changes g join sittings s on s.id = g.sitting_id where s.exam_id = ?`,
          [examId],
        );
      expect(Number(n)).toBe(1_200);
    } finally {
      await big.stop();
    }
  }, 120_000);
});
