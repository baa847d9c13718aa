import {
  addTickets,
  createExam,
  minutes,
  seedUniversity,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';
import { clientOperation } from '../../testing/client-operations';
import { statementsOf } from '../../testing/statements';

const CREATE_RETAKE = `mutation($e:ID!,$input:RetakeInput!){ createRetake(examId:$e, input:$input){
  id startsAt endsAt format ticketAssignment autoSendAtEnd discipline { id } period { id } teacher { login }
  retakeOf { id } sittings { student { login } } tickets { number questions files { name url } } } }`;
const EXAM_LINKS = `query($e:ID!){ exam(id:$e){ id retakeOf { id } retakes { id startsAt } } }`;
const CANDIDATES = `query($e:ID!){ exam(id:$e){ retakeCandidates { student { login } grade { score letter } } } }`;
const SITTINGS = `query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }`;
const GRADE = 'mutation($s:ID!,$v:Int!){ gradeSitting(sittingId:$s, score:$v){ id } }';
const PUBLISH = 'mutation($e:ID!){ publishResults(examId:$e){ id } }';
const CORRECT = 'mutation($s:ID!,$v:Int!,$r:String!){ correctGrade(sittingId:$s, score:$v, reason:$r){ id } }';
const FILE_APPEAL = 'mutation($s:ID!,$t:String!){ fileAppeal(sittingId:$s, text:$t){ id } }';
const SET_COMMISSION = 'mutation($a:ID!,$t:[ID!]!){ setAppealCommission(appealId:$a, teacherIds:$t){ id } }';
const DECIDE =
  'mutation($a:ID!,$r:String!,$v:Int){ decideAppeal(appealId:$a, decision:CHANGED, reason:$r, score:$v){ id } }';
const TRAIL = `query($e:ID!){ exam(id:$e){ sittings { student { login } events { kind detail actor { login } } } } }`;
const JOURNAL = `query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){
  student { login } exam { id } grade { score } attempt counts } }`;
const MY_JOURNAL = `query($y:ID!){ myJournal(academicYearId:$y){ exam { id retakeOf { id } } grade { score } attempt counts } }`;
const MY_EXAMS = `query($y:ID!){ myExams(academicYearId:$y){ id retakeOf { id } retakes { id } } }`;

/** E6: staff create a retake exam for the FX students of an exam, and the journal shows which attempt counts. */
describe('retakes', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let otherTeacher: string;
  const students: string[] = [];
  const login = (i: number) => `s${String(i + 1).padStart(2, '0')}`;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 6);
    staff = await server.login('staff');
    teacher = await server.login('teacher');
    otherTeacher = await server.login('teacher2');
    for (const s of u.students) students.push(await server.login(s.login));
  });
  afterAll(() => server.stop());

  const retakeTimes = (fromMinutes = 24 * 60) => ({
    startsAt: minutes(fromMinutes),
    endsAt: minutes(fromMinutes + 90),
  });
  const createRetake = (examId: string, input: Record<string, unknown> = retakeTimes(), token = staff) =>
    server.gql(token, CREATE_RETAKE, { e: examId, input });
  const refusal = async (examId: string, input?: Record<string, unknown>, token?: string) =>
    (await createRetake(examId, input, token)).errors?.[0]?.extensions?.code;

  /** the sitting of student `i` (s01 is 0) at the exam */
  async function sittingOf(examId: string, i: number): Promise<string> {
    const { exam } = await server.ok(staff, SITTINGS, { e: examId });
    return exam.sittings.find((s: { student: { login: string } }) => s.student.login === login(i)).id;
  }

  /** the teacher's grades (drafts until the results are published, at an ON_PUBLICATION exam) */
  async function grade(examId: string, scores: Record<number, number>): Promise<void> {
    for (const [i, score] of Object.entries(scores)) {
      await server.ok(teacher, GRADE, { s: await sittingOf(examId, +i), v: score });
    }
  }

  /** issue 12: the teacher publishes the exam's results (ON_PUBLICATION, the default) */
  async function publish(examId: string): Promise<void> {
    await server.ok(teacher, PUBLISH, { e: examId });
  }

  /** staff correct student `i`'s published grade, with a reason */
  async function correct(examId: string, i: number, score: number): Promise<void> {
    await server.ok(staff, CORRECT, { s: await sittingOf(examId, i), v: score, r: 'a question was not counted' });
  }

  /** an exam that ended an hour ago, with the given scores (by student index), its results published */
  async function gradedExam(scores: Record<number, number>, input: Record<string, unknown> = {}): Promise<string> {
    const examId = await createExam(server, staff, u, { startsAt: minutes(-180), endsAt: minutes(-60), ...input });
    await grade(examId, scores);
    await publish(examId);
    return examId;
  }

  const enrolled = (retake: { sittings: { student: { login: string } }[] }) =>
    retake.sittings.map((s) => s.student.login).sort();

  it('enrols the FX students only (25–49): not F, not passing, not ungraded; the rest is copied from the exam', async () => {
    const examId = await gradedExam({ 0: 40, 1: 20, 2: 70, 3: 25, 4: 49 }); // s06 has no grade
    const [ticket] = await addTickets(server, staff, examId, 2);
    const upload = await uploadFiles(server, staff, `/files/tickets/${ticket}`, [
      { name: 'схема.pdf', content: 'ticket one figure' },
    ]);
    expect(upload.status).toBe(201);

    const times = retakeTimes();
    const result = await createRetake(examId, times);
    expect(result.errors).toBeUndefined();
    const retake = result.data.createRetake;
    expect(enrolled(retake)).toEqual(['s01', 's04', 's05']);
    expect(retake.retakeOf).toEqual({ id: examId });
    expect(new Date(retake.startsAt).toISOString()).toBe(times.startsAt);
    expect(new Date(retake.endsAt).toISOString()).toBe(times.endsAt);
    expect(retake.discipline.id).toBe(u.disciplineId);
    expect(retake.period.id).toBe(u.periodId);
    expect(retake.teacher.login).toBe('teacher');
    expect([retake.format, retake.ticketAssignment, retake.autoSendAtEnd]).toEqual(['TICKETS', 'STUDENT_CHOICE', true]);
    expect(retake.tickets.map((t: { number: number; questions: string }) => [t.number, t.questions])).toEqual([
      [1, 'Questions of ticket 1'],
      [2, 'Questions of ticket 2'],
    ]);
    // the ticket's file is the retake's own copy: it downloads, and is not the original's file
    const [file] = retake.tickets[0].files;
    expect(file.name).toBe('схема.pdf');
    const download = await fetch(`${server.url}${file.url}`, { headers: { authorization: `Bearer ${staff}` } });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('ticket one figure');
    expect(file.url).not.toContain(upload.body.files[0].id);

    // linked both ways; the trail of each enrolled student's sitting says so, with who did it
    const links = await server.ok(staff, EXAM_LINKS, { e: examId });
    expect(links.exam.retakes.map((r: { id: string }) => r.id)).toEqual([retake.id]);
    expect(links.exam.retakeOf).toBeNull();
    const trail = await server.ok(staff, TRAIL, { e: examId });
    const scheduled = (who: string) =>
      trail.exam.sittings
        .find((s: { student: { login: string } }) => s.student.login === who)
        .events.filter((e: { kind: string }) => e.kind === 'RETAKE_SCHEDULED');
    expect(scheduled('s01')).toEqual([{ kind: 'RETAKE_SCHEDULED', detail: times.startsAt, actor: { login: 'staff' } }]);
    expect(scheduled('s02')).toEqual([]);
    expect(scheduled('s03')).toEqual([]);
  });

  it('names the students it would enrol (retakeCandidates) to staff only, and none once they are enrolled', async () => {
    const examId = await gradedExam({ 0: 30, 1: 80, 2: 10 });
    const before = await server.ok(staff, CANDIDATES, { e: examId });
    expect(before.exam.retakeCandidates).toEqual([{ student: { login: 's01' }, grade: { score: 30, letter: 'FX' } }]);
    expect((await server.ok(teacher, CANDIDATES, { e: examId })).exam.retakeCandidates).toBeNull();
    expect((await createRetake(examId)).errors).toBeUndefined();
    expect((await server.ok(staff, CANDIDATES, { e: examId })).exam.retakeCandidates).toEqual([]);
  });

  it('takes another teacher when asked, and refuses one who is not a teacher', async () => {
    const examId = await gradedExam({ 0: 45 });
    expect(await refusal(examId, { ...retakeTimes(), teacherId: u.students[1].id })).toBe('BAD_USER_INPUT');
    const result = await createRetake(examId, { ...retakeTimes(), teacherId: u.otherTeacher.id });
    expect(result.data.createRetake.teacher.login).toBe('teacher2');
  });

  it('refuses an exam with no FX student (NO_FX_STUDENTS)', async () => {
    const examId = await gradedExam({ 0: 20, 1: 95, 2: 50, 3: 24 });
    const result = await createRetake(examId);
    expect(result.errors?.[0]?.extensions?.code).toBe('NO_FX_STUDENTS');
    expect(result.errors?.[0]?.message).toContain('FX');
    expect((await server.ok(staff, EXAM_LINKS, { e: examId })).exam.retakes).toEqual([]);
  });

  it('refuses a second retake of the same students (RETAKE_EXISTS), but enrols an FX student who is not in one', async () => {
    const examId = await gradedExam({ 0: 40, 1: 60 });
    const first = (await createRetake(examId)).data.createRetake;
    expect(enrolled(first)).toEqual(['s01']);
    expect(await refusal(examId)).toBe('RETAKE_EXISTS');
    // s02's published grade was corrected to FX afterwards: a second retake takes s02 alone
    await correct(examId, 1, 35);
    const second = (await createRetake(examId, retakeTimes(2 * 24 * 60))).data.createRetake;
    expect(enrolled(second)).toEqual(['s02']);
    expect(await refusal(examId)).toBe('RETAKE_EXISTS');
    const links = await server.ok(staff, EXAM_LINKS, { e: examId });
    expect(links.exam.retakes.map((r: { id: string }) => r.id)).toEqual([first.id, second.id]);
  });

  it('refuses a retake of a retake (RETAKE_OF_RETAKE)', async () => {
    const examId = await gradedExam({ 0: 40 });
    const retake = (await createRetake(examId)).data.createRetake;
    expect(await refusal(retake.id)).toBe('RETAKE_OF_RETAKE');
  });

  it('refuses before the results are published (RESULTS_NOT_PUBLISHED), and enrols the FX students after', async () => {
    // an exam still running: nothing is out
    const running = await createExam(server, staff, u, { startsAt: minutes(-60), endsAt: minutes(60) });
    expect(await refusal(running)).toBe('RESULTS_NOT_PUBLISHED');

    // over and graded, but the grades are the teacher's drafts: no student is FX yet
    const examId = await createExam(server, staff, u, { startsAt: minutes(-180), endsAt: minutes(-60) });
    await grade(examId, { 0: 40, 1: 80 });
    const refused = await createRetake(examId);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RESULTS_NOT_PUBLISHED');
    expect(refused.errors?.[0]?.message).toContain('publish them first');
    expect((await server.ok(staff, CANDIDATES, { e: examId })).exam.retakeCandidates).toEqual([]);
    expect((await server.ok(staff, EXAM_LINKS, { e: examId })).exam.retakes).toEqual([]);
    const trail = await server.ok(staff, TRAIL, { e: examId });
    expect(
      trail.exam.sittings.flatMap((s: { events: { kind: string }[] }) => s.events.map((e) => e.kind)),
    ).not.toContain('RETAKE_SCHEDULED');

    await publish(examId);
    expect((await server.ok(staff, CANDIDATES, { e: examId })).exam.retakeCandidates).toEqual([
      { student: { login: 's01' }, grade: { score: 40, letter: 'FX' } },
    ]);
    expect(enrolled((await createRetake(examId)).data.createRetake)).toEqual(['s01']);
  });

  it('takes an AT_ONCE exam once it has ended (each grade published as saved); copies resultsRelease', async () => {
    const RELEASE = 'query($e:ID!){ exam(id:$e){ resultsRelease } }';
    const running = await createExam(server, staff, u, {
      startsAt: minutes(-60),
      endsAt: minutes(60),
      resultsRelease: 'AT_ONCE',
    });
    const early = await createRetake(running);
    expect(early.errors?.[0]?.extensions?.code).toBe('RESULTS_NOT_PUBLISHED');
    expect(early.errors?.[0]?.message).toContain('once it is over');

    const atOnce = await createExam(server, staff, u, {
      startsAt: minutes(-180),
      endsAt: minutes(-60),
      resultsRelease: 'AT_ONCE',
    });
    await grade(atOnce, { 0: 40, 1: 30, 2: 90 });
    const retake = (await createRetake(atOnce)).data.createRetake;
    expect(enrolled(retake)).toEqual(['s01', 's02']);
    expect((await server.ok(staff, RELEASE, { e: retake.id })).exam.resultsRelease).toBe('AT_ONCE');

    const onPublication = await gradedExam({ 0: 40 });
    const other = (await createRetake(onPublication)).data.createRetake;
    expect((await server.ok(staff, RELEASE, { e: other.id })).exam.resultsRelease).toBe('ON_PUBLICATION');
  });

  it("copies blind marking: the teacher meets the retake's students under codes until its results are out", async () => {
    const examId = await gradedExam({ 0: 40, 1: 80 }, { blindMarking: true });
    const retake = (await createRetake(examId)).data.createRetake;
    const BLIND = 'query($e:ID!){ exam(id:$e){ blindMarking sittings { blind blindCode student { id login } } } }';
    const seen = (await server.ok(teacher, BLIND, { e: retake.id })).exam;
    expect(seen.blindMarking).toBeTrue();
    expect(seen.sittings.length).toBe(1);
    const [sitting] = seen.sittings;
    expect(sitting.blind).toBeTrue();
    expect(sitting.student.login).toBe(sitting.blindCode);
    expect(sitting.student.id).not.toBe(u.students[0].id);
    const staffSees = (await server.ok(staff, BLIND, { e: retake.id })).exam.sittings;
    expect(staffSees.map((x: { student: { login: string } }) => x.student.login)).toEqual(['s01']);
  });

  it('takes the final published grade: a correction or an appeal before it moves a student out of FX or into it', async () => {
    // published: s01 40 (FX), s02 45 (FX), s03 60 (C-), s04 70
    const examId = await gradedExam({ 0: 40, 1: 45, 2: 60, 3: 70 });
    // staff correct s01 out of FX (40 → 55) and s03 into it (60 → 48)
    await correct(examId, 0, 55);
    await correct(examId, 2, 48);
    // s02 appeals; the commission raises 45 to 62
    const appealed = await sittingOf(examId, 1);
    const appeal = (await server.ok(students[1], FILE_APPEAL, { s: appealed, t: 'The second part was not read.' }))
      .fileAppeal;
    await server.ok(staff, SET_COMMISSION, { a: appeal.id, t: [u.otherTeacher.id] });
    await server.ok(otherTeacher, DECIDE, { a: appeal.id, r: 'The sources are cited correctly.', v: 62 });

    expect((await server.ok(staff, CANDIDATES, { e: examId })).exam.retakeCandidates).toEqual([
      { student: { login: 's03' }, grade: { score: 48, letter: 'FX' } },
    ]);
    const retake = (await createRetake(examId)).data.createRetake;
    expect(enrolled(retake)).toEqual(['s03']);
  });

  it('refuses invalid times with the exam rules (BAD_USER_INPUT), and creates nothing', async () => {
    const examId = await gradedExam({ 0: 40 });
    const inTwoHours = minutes(120); // one instant for both ends: two calls may fall a millisecond apart
    const cases: [string, Record<string, unknown>, string][] = [
      ['end before start', { startsAt: minutes(120), endsAt: minutes(60) }, 'end time must be after the start'],
      ['end at the start', { startsAt: inTwoHours, endsAt: inTwoHours }, 'end time must be after the start'],
      ['longer than a week', { startsAt: minutes(60), endsAt: minutes(60 + 8 * 24 * 60) }, 'longer than a week'],
      ['in the past', { startsAt: minutes(-30), endsAt: minutes(60) }, 'cannot start in the past'],
    ];
    for (const [what, input, message] of cases) {
      const result = await createRetake(examId, input);
      expect(result.errors?.[0]?.extensions?.code).withContext(what).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).withContext(what).toContain(message);
    }
    expect((await server.ok(staff, EXAM_LINKS, { e: examId })).exam.retakes).toEqual([]);
  });

  it('is for staff only: teachers and students are refused, strangers unauthenticated, unknown exams not found', async () => {
    const examId = await gradedExam({ 0: 40 });
    expect(await refusal(examId, retakeTimes(), teacher)).toBe('FORBIDDEN');
    expect(await refusal(examId, retakeTimes(), students[0])).toBe('FORBIDDEN');
    expect(
      (await server.gql(null, CREATE_RETAKE, { e: examId, input: retakeTimes() })).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expect(await refusal('00000000-0000-4000-8000-000000000000')).toBe('NOT_FOUND');
    expect((await server.ok(staff, EXAM_LINKS, { e: examId })).exam.retakes).toEqual([]);
  });

  it('shows the links to whoever may see each exam: the enrolled student, the teachers who run it', async () => {
    const examId = await gradedExam({ 0: 40, 1: 80 });
    const retake = (await createRetake(examId, { ...retakeTimes(), teacherId: u.otherTeacher.id })).data.createRetake;
    // the FX student: the retake in her list, linked to the exam
    const mine = (await server.ok(students[0], MY_EXAMS, { y: u.yearId })).myExams;
    expect(mine.find((e: { id: string }) => e.id === retake.id).retakeOf).toEqual({ id: examId });
    expect(mine.find((e: { id: string }) => e.id === examId).retakes).toEqual([{ id: retake.id }]);
    expect((await server.ok(students[0], EXAM_LINKS, { e: retake.id })).exam.retakeOf).toEqual({ id: examId });
    // the passing student: no retake in her list or under the exam
    const theirs = (await server.ok(students[1], MY_EXAMS, { y: u.yearId })).myExams;
    expect(theirs.some((e: { id: string }) => e.id === retake.id)).toBeFalse();
    expect(theirs.find((e: { id: string }) => e.id === examId).retakes).toEqual([]);
    expect(await server.code(students[1], EXAM_LINKS, { e: retake.id })).toBe('NOT_FOUND');
    // the retake's teacher sees it, not the exam she does not teach; the exam's teacher the other way round
    expect((await server.ok(otherTeacher, EXAM_LINKS, { e: retake.id })).exam.retakeOf).toBeNull();
    expect((await server.ok(teacher, EXAM_LINKS, { e: examId })).exam.retakes).toEqual([]);
    expect((await server.ok(staff, EXAM_LINKS, { e: retake.id })).exam.retakeOf).toEqual({ id: examId });

    // the lists read the links without a statement of their own: the retakes come joined with the exams, the
    // original is the list's own row (the list's exam ids, the exams, their sittings; the session is known)
    let list: any;
    const sent = await statementsOf(server.app.orm, async () => {
      list = await server.ok(staff, clientOperation('StaffExams'), { periodId: u.periodId });
    });
    const row = (id: string) => list.exams.find((e: { id: string }) => e.id === id);
    expect(row(examId).retakes.map((r: { id: string }) => r.id)).toEqual([retake.id]);
    expect(row(retake.id).retakeOf.id).toBe(examId);
    expect(sent.length).toBe(3);
  });

  describe('in the journal', () => {
    const journalOf = async (token: string) =>
      (await server.ok(token, JOURNAL, { d: u.disciplineId, p: u.otherPeriodId })).journal as {
        student: { login: string };
        exam: { id: string };
        grade: { score: number } | null;
        attempt: number;
        counts: boolean;
      }[];

    it("shows both attempts: the exam's grade counts until the retake's is published, then the retake's", async () => {
      const examId = await gradedExam({ 0: 40, 1: 75 }, { periodId: u.otherPeriodId });
      const retake = (await createRetake(examId)).data.createRetake;
      const rows = async (token = staff) =>
        (await journalOf(token))
          .filter((r) => r.student.login === 's01' || r.student.login === 's02')
          .map((r) => [
            r.student.login,
            r.exam.id === examId ? 'exam' : 'retake',
            r.grade?.score ?? null,
            r.attempt,
            r.counts,
          ]);
      expect(await rows()).toEqual([
        ['s01', 'exam', 40, 1, true],
        ['s01', 'retake', null, 2, false],
        ['s02', 'exam', 75, 1, true],
      ]);

      // the retake is held (moved into the past here) and graded: its grade counts from now on
      await server.ok(
        staff,
        'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
        {
          id: retake.id,
          input: {
            periodId: u.otherPeriodId,
            disciplineId: u.disciplineId,
            teacherId: u.teacher.id,
            startsAt: minutes(-50),
            endsAt: minutes(-10),
            format: 'TICKETS',
            ticketAssignment: 'STUDENT_CHOICE',
            studentIds: [u.students[0].id],
          },
        },
      );
      // graded, not yet published: a draft counts for nothing, the exam's grade still does
      await grade(retake.id, { 0: 72 });
      expect(await rows()).toEqual([
        ['s01', 'exam', 40, 1, true],
        ['s01', 'retake', null, 2, false],
        ['s02', 'exam', 75, 1, true],
      ]);
      await publish(retake.id);
      const after = [
        ['s01', 'exam', 40, 1, false],
        ['s01', 'retake', 72, 2, true],
        ['s02', 'exam', 75, 1, true],
      ];
      expect(await rows()).toEqual(after);
      expect(await rows(teacher)).toEqual(after);

      const mine = (await server.ok(students[0], MY_JOURNAL, { y: u.yearId })).myJournal.filter(
        (r: { exam: { id: string } }) => r.exam.id === examId || r.exam.id === retake.id,
      );
      expect(mine).toEqual([
        { exam: { id: examId, retakeOf: null }, grade: { score: 40 }, attempt: 1, counts: false },
        { exam: { id: retake.id, retakeOf: { id: examId } }, grade: { score: 72 }, attempt: 2, counts: true },
      ]);
    });
  });
});
