import { hashPassword } from '../auth/passwords';
import { Role, User } from '../users/user.entity';
import {
  createExam,
  minutes,
  nextPushes,
  updateExam,
  seedUniversity,
  sleep,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';

const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const GRADE = 'mutation($s:ID!,$score:Int!){ gradeSitting(sittingId:$s, score:$score){ id } }';
const FILE = 'mutation($s:ID!,$t:String!){ fileAppeal(sittingId:$s, text:$t){ id status filedAt text } }';
const COMMISSION =
  'mutation($a:ID!,$t:[ID!]!){ setAppealCommission(appealId:$a, teacherIds:$t){ id status commission { login } } }';
const DECIDE =
  'mutation($a:ID!,$d:AppealDecision!,$r:String!,$s:Int){ decideAppeal(appealId:$a, decision:$d, reason:$r, score:$s){ id status decision previousScore newScore reason decidedAt decidedBy { login } currentScore } }';
const MY_EXAM =
  'query($e:ID!){ exam(id:$e){ appealDeadline mySitting { id appealDeadline grade { score } appeal { id status decision newScore reason files { name } } } } }';
const TRAIL = 'query($e:ID!){ exam(id:$e){ sittings { id student { login } events { kind detail } } } }';
const CASE =
  'query($a:ID!){ appeal(id:$a){ id status text student { login } answerText questions ticketNumber trail { kind } recordingUrl answerFiles { name url } files { name url } commission { login } deadline } }';

/** issue 12: appeals — filing inside the window, the commission, the decision, who may do what, pushes and files. */
describe('appeals', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let member: string;
  let outsider: string;
  let s: string[];
  let examId: string;
  let sittingOf: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 5);
    const em = server.app.orm.em.fork();
    em.create(User, {
      login: 'teacher3',
      fullName: 'Test teacher3',
      role: Role.TEACHER,
      passwordHash: await hashPassword('pw'),
    });
    await em.flush();
    [staff, teacher, member, outsider] = await Promise.all(
      ['staff', 'teacher', 'teacher2', 'teacher3'].map((l) => server.login(l)),
    );
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
    examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain transactions.',
      resultsRelease: 'AT_ONCE', // each grade is published as it is saved; ON_PUBLICATION is tried below
    });
    await server.ok(
      staff,
      'mutation($e:ID!){ setRecording(examId:$e, url:"https://video.example.edu/rec/1", visibleToStudents:false){ id } }',
      {
        e: examId,
      },
    );
    for (const [i, token] of s.entries())
      await server.ok(token, SUBMIT, { e: examId, t: `Answer number ${i + 1} on ACID` });
    const room = await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }', {
      e: examId,
    });
    sittingOf = Object.fromEntries(
      room.exam.sittings.map((x: { id: string; student: { login: string } }) => [x.student.login, x.id]),
    );
    // s05 stays ungraded; the others are graded and so published
    for (const login of ['s01', 's02', 's03', 's04'])
      await server.ok(teacher, GRADE, { s: sittingOf[login], score: 60 });
  });
  afterAll(() => server.stop());
  afterEach(() => (server.app.services.now = () => new Date()));

  it('shows the student the window: a deadline at the end of a working day, in the future', async () => {
    const { exam } = await server.ok(s[0], MY_EXAM, { e: examId });
    expect(exam.appealDeadline).toEqual(exam.mySitting.appealDeadline);
    const deadline = new Date(exam.mySitting.appealDeadline);
    expect(deadline.getTime()).toBeGreaterThan(Date.now());
    // 23:59:59.999 in Asia/Almaty (UTC+5)
    expect(deadline.toISOString()).toMatch(/T18:59:59\.999Z$/);
    expect(exam.mySitting.appeal).toBeNull();
  });

  it("refuses before publication, on someone else's sitting, a short text, and other roles", async () => {
    expect(await server.code(s[4], FILE, { s: sittingOf.s05, t: 'I disagree with the grade' })).toBe(
      'GRADE_NOT_PUBLISHED',
    );
    expect(await server.code(s[1], FILE, { s: sittingOf.s01, t: 'I disagree with the grade' })).toBe('NOT_FOUND');
    expect(await server.code(s[0], FILE, { s: sittingOf.s01, t: 'no' })).toBe('BAD_USER_INPUT');
    expect(await server.code(teacher, FILE, { s: sittingOf.s01, t: 'I disagree with the grade' })).toBe('FORBIDDEN');
    expect(await server.code(null, FILE, { s: sittingOf.s01, t: 'I disagree with the grade' })).toBe('UNAUTHENTICATED');
    const { exam } = await server.ok(s[4], MY_EXAM, { e: examId });
    expect(exam.mySitting.appealDeadline).toBeNull();
  });

  it('waits for the publication of an ON_PUBLICATION exam, then opens the window from it', async () => {
    const other = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain indexes.',
      studentIds: [u.students[0].id],
    });
    await server.ok(s[0], SUBMIT, { e: other, t: 'B-trees and hash indexes' });
    const { exam } = await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id } } }', { e: other });
    const sitting = exam.sittings[0].id;
    await server.ok(teacher, GRADE, { s: sitting, score: 55 });
    expect(await server.code(s[0], FILE, { s: sitting, t: 'I disagree with the grade' })).toBe('GRADE_NOT_PUBLISHED');
    expect((await server.ok(s[0], MY_EXAM, { e: other })).exam.mySitting.appealDeadline).toBeNull();
    await updateExam(server, staff, u, other, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain indexes.',
      studentIds: [u.students[0].id],
      startsAt: minutes(-120),
      endsAt: minutes(-60),
    });
    await server.ok(teacher, 'mutation($e:ID!){ publishResults(examId:$e){ id } }', { e: other });
    const mine = await server.ok(s[0], MY_EXAM, { e: other });
    expect(Date.parse(mine.exam.mySitting.appealDeadline)).toBeGreaterThan(Date.now());
    const { fileAppeal } = await server.ok(s[0], FILE, { s: sitting, t: 'Hash indexes were covered too' });
    expect(fileAppeal.status).toBe('FILED');
  });

  it('refuses after the window on the server clock, with the deadline in the extensions', async () => {
    const { exam } = await server.ok(s[3], MY_EXAM, { e: examId });
    const deadline = new Date(exam.mySitting.appealDeadline);
    server.app.services.now = () => new Date(deadline.getTime() + 1); // a millisecond after the deadline
    const result = await server.gql(s[3], FILE, { s: sittingOf.s04, t: 'I disagree with the grade' });
    expect(result.errors?.[0].extensions).toEqual(
      jasmine.objectContaining({ code: 'APPEAL_WINDOW_CLOSED', deadline: deadline.toISOString() }),
    );
    expect((await server.ok(s[3], MY_EXAM, { e: examId })).exam.mySitting.appeal).toBeNull();
  });

  it('files one appeal per sitting, in the trail; a second is APPEAL_EXISTS', async () => {
    const before = Date.now();
    const { fileAppeal } = await server.ok(s[0], FILE, { s: sittingOf.s01, t: '  The second part was right.  ' });
    expect(fileAppeal).toEqual({
      id: jasmine.any(String),
      status: 'FILED',
      filedAt: jasmine.any(String),
      text: 'The second part was right.',
    });
    expect(Date.parse(fileAppeal.filedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await server.code(s[0], FILE, { s: sittingOf.s01, t: 'And once more, please' })).toBe('APPEAL_EXISTS');
    const mine = await server.ok(s[0], MY_EXAM, { e: examId });
    expect(mine.exam.mySitting.appeal).toEqual(jasmine.objectContaining({ id: fileAppeal.id, status: 'FILED' }));
    const trail = await server.ok(staff, TRAIL, { e: examId });
    const events = trail.exam.sittings.find((x: any) => x.student.login === 's01').events;
    expect(events.map((e: any) => e.kind)).toContain('APPEAL_FILED');
  });

  it('forms the commission (staff only, teachers only) and lets only it or staff decide, with a reason', async () => {
    const { fileAppeal } = await server.ok(s[1], FILE, { s: sittingOf.s02, t: 'Question two was graded too low' });
    const a = fileAppeal.id;
    // a decision before the commission is formed
    expect(await server.code(staff, DECIDE, { a, d: 'KEPT', r: 'Fine as it is' })).toBe('APPEAL_STATE');
    expect(await server.code(teacher, COMMISSION, { a, t: [u.otherTeacher.id] })).toBe('FORBIDDEN');
    expect(await server.code(staff, COMMISSION, { a, t: [u.students[0].id] })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, COMMISSION, { a, t: [] })).toBe('BAD_USER_INPUT');
    const formed = await server.ok(staff, COMMISSION, { a, t: [u.otherTeacher.id] });
    expect(formed.setAppealCommission).toEqual({ id: a, status: 'UNDER_REVIEW', commission: [{ login: 'teacher2' }] });

    // the exam's own teacher is not on it; a teacher elsewhere does not even see it
    expect(await server.code(teacher, DECIDE, { a, d: 'KEPT', r: 'Fine as it is' })).toBe('NOT_ON_COMMISSION');
    expect(await server.code(outsider, DECIDE, { a, d: 'KEPT', r: 'Fine as it is' })).toBe('NOT_FOUND');
    expect(await server.code(s[1], DECIDE, { a, d: 'KEPT', r: 'Fine as it is' })).toBe('FORBIDDEN');
    expect(await server.code(member, DECIDE, { a, d: 'KEPT', r: '   ' })).toBe('BAD_USER_INPUT');
    expect(await server.code(member, DECIDE, { a, d: 'CHANGED', r: 'Question two deserves more' })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await server.code(member, DECIDE, { a, d: 'CHANGED', r: 'Same', s: 60 })).toBe('BAD_USER_INPUT');
    expect(await server.code(member, DECIDE, { a, d: 'CHANGED', r: 'Too much', s: 101 })).toBe('BAD_USER_INPUT');

    // the commission sees the case side by side; others see the appeal without it, or not at all
    const { appeal } = await server.ok(member, CASE, { a });
    expect(appeal).toEqual(
      jasmine.objectContaining({
        status: 'UNDER_REVIEW',
        student: { login: 's02' },
        answerText: 'Answer number 2 on ACID',
        questions: 'Explain transactions.',
        ticketNumber: null,
        recordingUrl: 'https://video.example.edu/rec/1',
      }),
    );
    expect(appeal.trail.map((e: any) => e.kind)).toEqual(
      jasmine.arrayContaining(['ANSWER_SUBMITTED', 'GRADED', 'APPEAL_FILED', 'APPEAL_COMMISSION_SET']),
    );
    expect(await server.code(outsider, CASE, { a })).toBe('NOT_FOUND');
    expect(await server.code(s[0], CASE, { a })).toBe('NOT_FOUND');
    const own = (await server.ok(s[1], CASE, { a })).appeal;
    expect(own.answerText).toBeNull();
    expect(own.trail).toEqual([]);

    const before = Date.now();
    const { decideAppeal } = await server.ok(member, DECIDE, {
      a,
      d: 'CHANGED',
      r: 'Question two deserves more',
      s: 72,
    });
    expect(decideAppeal).toEqual({
      id: a,
      status: 'DECIDED',
      decision: 'CHANGED',
      previousScore: 60,
      newScore: 72,
      reason: 'Question two deserves more',
      decidedAt: jasmine.any(String),
      decidedBy: { login: 'teacher2' },
      currentScore: 72,
    });
    expect(Date.parse(decideAppeal.decidedAt)).toBeGreaterThanOrEqual(before - 1000);
    // decided once; the commission can no longer change
    expect(await server.code(staff, DECIDE, { a, d: 'KEPT', r: 'Again' })).toBe('APPEAL_STATE');
    expect(await server.code(staff, COMMISSION, { a, t: [u.teacher.id] })).toBe('APPEAL_STATE');

    const mine = await server.ok(s[1], MY_EXAM, { e: examId });
    expect(mine.exam.mySitting.grade.score).toBe(72);
    expect(mine.exam.mySitting.appeal).toEqual(
      jasmine.objectContaining({
        status: 'DECIDED',
        decision: 'CHANGED',
        newScore: 72,
        reason: 'Question two deserves more',
      }),
    );
    const trail = await server.ok(staff, TRAIL, { e: examId });
    const events = trail.exam.sittings.find((x: any) => x.student.login === 's02').events;
    expect(events.find((e: any) => e.kind === 'APPEAL_DECIDED')).toEqual({ kind: 'APPEAL_DECIDED', detail: '60 → 72' });
    expect(events.find((e: any) => e.kind === 'APPEAL_COMMISSION_SET').detail).toBe('Test teacher2');
  });

  it('lists appeals for staff (by exam and state) and for the commission member', async () => {
    const all = await server.ok(staff, 'query($e:ID){ appeals(examId:$e){ student { login } status } }', { e: examId });
    expect(all.appeals.map((x: any) => x.student.login).sort()).toEqual(['s01', 's02']);
    const decided = await server.ok(staff, '{ appeals(status: DECIDED){ student { login } } }');
    expect(decided.appeals).toEqual([{ student: { login: 's02' } }]);
    expect((await server.ok(member, '{ myAppeals { student { login } } }')).myAppeals).toEqual([
      { student: { login: 's02' } },
    ]);
    expect((await server.ok(outsider, '{ myAppeals { id } }')).myAppeals).toEqual([]);
    expect(await server.code(teacher, '{ appeals { id } }')).toBe('FORBIDDEN');
    expect(await server.code(s[0], '{ myAppeals { id } }')).toBe('FORBIDDEN');
  });

  it('keeps the score on KEPT; staff may decide too; two decisions at once leave one', async () => {
    const { fileAppeal } = await server.ok(s[2], FILE, { s: sittingOf.s03, t: 'Please look at it again' });
    const a = fileAppeal.id;
    await server.ok(staff, COMMISSION, { a, t: [u.otherTeacher.id, u.teacher.id] });
    const results = await Promise.all([
      server.gql(member, DECIDE, { a, d: 'KEPT', r: 'Graded fairly' }),
      server.gql(staff, DECIDE, { a, d: 'CHANGED', r: 'Raise it', s: 90 }),
    ]);
    const won = results.filter((r) => !r.errors);
    expect(won.length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'APPEAL_STATE').length).toBe(1);
    const mine = await server.ok(s[2], MY_EXAM, { e: examId });
    const decision = won[0].data.decideAppeal;
    expect(mine.exam.mySitting.grade.score).toBe(decision.decision === 'KEPT' ? 60 : 90);
    expect(mine.exam.mySitting.appeal.status).toBe('DECIDED');
  });

  it('pushes the decision to the student and appeals to staff and the commission only', async () => {
    const studentWs = server.ws(s[3]);
    const memberWs = server.ws(member);
    const staffWs = server.ws(staff);
    const outsiderWs = server.ws(outsider);
    try {
      const PUSH = 'subscription{ appealChanged { id status student { login } } }';
      const toStaff = nextPushes(staffWs, PUSH, {}, 3);
      const toMember = nextPushes(memberWs, PUSH, {}, 2);
      const outsiderPushes: unknown[] = [];
      const stopOutsider = outsiderWs.subscribe(
        { query: PUSH },
        { next: (v) => outsiderPushes.push(v), error: () => undefined, complete: () => undefined },
      );
      // the student's page also hears its own presence: wait for the push that carries the decision
      const studentPushes: any[] = [];
      const decided = new Promise<any>((resolve) =>
        studentWs.subscribe(
          {
            query:
              'subscription($e:ID!){ mySittingChanged(examId:$e){ grade { score } appeal { status decision reason } } }',
            variables: { e: examId },
          },
          {
            next: (v: any) => {
              studentPushes.push(v.data.mySittingChanged);
              if (v.data.mySittingChanged.appeal?.status === 'DECIDED') resolve(v.data.mySittingChanged);
            },
            error: () => undefined,
            complete: () => undefined,
          },
        ),
      );
      await Promise.all([toStaff.started, toMember.started]);
      await sleep(150);
      const { fileAppeal } = await server.ok(s[3], FILE, { s: sittingOf.s04, t: 'My answer covered isolation' });
      await server.ok(staff, COMMISSION, { a: fileAppeal.id, t: [u.otherTeacher.id] });
      await server.ok(member, DECIDE, { a: fileAppeal.id, d: 'CHANGED', r: 'Isolation was covered', s: 66 });
      const staffPushes = await toStaff.done;
      expect(staffPushes.map((p: any) => p.appealChanged.status)).toEqual(['FILED', 'UNDER_REVIEW', 'DECIDED']);
      const memberPushes = await toMember.done;
      expect(memberPushes.map((p: any) => p.appealChanged.status)).toEqual(['UNDER_REVIEW', 'DECIDED']);
      expect(await decided).toEqual({
        grade: { score: 66 },
        appeal: { status: 'DECIDED', decision: 'CHANGED', reason: 'Isolation was covered' },
      });
      expect(studentPushes.map((p) => p.appeal?.status)).toEqual(jasmine.arrayContaining(['FILED', 'UNDER_REVIEW']));
      await sleep(200);
      expect(outsiderPushes).toEqual([]);
      stopOutsider();
    } finally {
      await Promise.all([studentWs, memberWs, staffWs, outsiderWs].map((c) => c.dispose()));
    }
  });

  it("takes the student's files on their appeal and serves them to the commission, not to others", async () => {
    const { appeal } = await server.ok(s[0], CASE, {
      a: (await server.ok(s[0], MY_EXAM, { e: examId })).exam.mySitting.appeal.id,
    });
    const upload = await uploadFiles(server, s[0], `/files/appeals/${appeal.id}`, [
      { name: 'scan.pdf', content: 'page one', contentType: 'application/pdf' },
    ]);
    expect(upload.status).toBe(201);
    expect(
      (await uploadFiles(server, s[1], `/files/appeals/${appeal.id}`, [{ name: 'x.txt', content: 'x' }])).status,
    ).toBe(404);
    expect(
      (await uploadFiles(server, teacher, `/files/appeals/${appeal.id}`, [{ name: 'x.txt', content: 'x' }])).status,
    ).toBe(403);
    // the commission member (staff form it now) downloads the appeal's file and the answer's files
    await server.ok(staff, COMMISSION, { a: appeal.id, t: [u.otherTeacher.id] });
    const seen = (await server.ok(member, CASE, { a: appeal.id })).appeal;
    expect(seen.files.map((f: any) => f.name)).toEqual(['scan.pdf']);
    const fileId = upload.body.files[0].id;
    const get = (token: string) =>
      fetch(`${server.url}/files/${fileId}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await get(member)).toBe(200);
    expect(await get(staff)).toBe(200);
    expect(await get(s[0])).toBe(200);
    expect(await get(outsider)).toBe(404);
    expect(await get(s[1])).toBe(404);
    // once decided, no more files
    await server.ok(member, DECIDE, { a: appeal.id, d: 'KEPT', r: 'The grade stands' });
    const late = await uploadFiles(server, s[0], `/files/appeals/${appeal.id}`, [
      { name: 'more.txt', content: 'more' },
    ]);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('APPEAL_STATE');
  });
});

describe('the calendar of non-working days', () => {
  let server: TestServer;
  let staff: string;
  let student: string;
  beforeAll(async () => {
    server = await startTestServer();
    await seedUniversity(server, 1);
    [staff, student] = await Promise.all([server.login('staff'), server.login('s01')]);
  });
  afterAll(() => server.stop());

  const LIST = 'query($f:Date,$t:Date){ nonWorkingDays(from:$f, to:$t){ date title } }';

  it("comes with Kazakhstan's holidays and the days off moved from weekends (migration)", async () => {
    const march = await server.ok(staff, LIST, { f: '2025-03-01', t: '2025-03-31' });
    expect(march.nonWorkingDays.map((d: any) => d.date)).toEqual([
      '2025-03-08',
      '2025-03-10',
      '2025-03-21',
      '2025-03-22',
      '2025-03-23',
      '2025-03-24',
      '2025-03-25',
    ]);
    const all = (await server.ok(staff, LIST, {})).nonWorkingDays.map((d: any) => d.date);
    for (const kurban of ['2025-06-06', '2026-05-27', '2027-05-16']) expect(all).toContain(kurban);
    expect(all).toContain('2027-01-04'); // 2 January 2027 is a Saturday
    expect(all).not.toContain('2027-05-17'); // Kurban ait on a Sunday is not moved
  });

  it('lets staff add and remove a day, and nobody else', async () => {
    const ADD = 'mutation($d:Date!,$t:String!){ addNonWorkingDay(date:$d, title:$t){ date title } }';
    const REMOVE = 'mutation($d:Date!){ removeNonWorkingDay(date:$d) }';
    expect((await server.ok(staff, ADD, { d: '2026-12-31', t: " New Year's Eve " })).addNonWorkingDay).toEqual({
      date: '2026-12-31',
      title: "New Year's Eve",
    });
    expect(await server.code(staff, ADD, { d: '2026-12-31', t: 'Twice' })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, ADD, { d: '2026-12-30', t: ' ' })).toBe('BAD_USER_INPUT');
    expect(await server.code(student, ADD, { d: '2026-12-30', t: 'Mine' })).toBe('FORBIDDEN');
    expect(await server.code(student, LIST, {})).toBe('FORBIDDEN');
    expect((await server.ok(staff, REMOVE, { d: '2026-12-31' })).removeNonWorkingDay).toBeTrue();
    expect(await server.code(staff, REMOVE, { d: '2026-12-31' })).toBe('NOT_FOUND');
  });
});
