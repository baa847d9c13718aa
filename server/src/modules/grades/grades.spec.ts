import { GraphQLError } from 'graphql';
import {
  createExam,
  minutes,
  seedUniversity,
  startTestServer,
  type TestServer,
  type University,
  updateExam,
} from '../../testing/harness';
import { bandFor, gradeScale } from './grade-scale';

/** R7.7: the 100-point scale of Kazakhstan's credit system, with its letter and GPA points. */
describe('the grade scale', () => {
  const cases: [number, string, number][] = [
    [100, 'A', 4.0],
    [95, 'A', 4.0],
    [94, 'A-', 3.67],
    [90, 'A-', 3.67],
    [89, 'B+', 3.33],
    [85, 'B+', 3.33],
    [84, 'B', 3.0],
    [80, 'B', 3.0],
    [79, 'B-', 2.67],
    [75, 'B-', 2.67],
    [74, 'C+', 2.33],
    [70, 'C+', 2.33],
    [69, 'C', 2.0],
    [65, 'C', 2.0],
    [64, 'C-', 1.67],
    [60, 'C-', 1.67],
    [59, 'D+', 1.33],
    [55, 'D+', 1.33],
    [54, 'D', 1.0],
    [50, 'D', 1.0],
    [49, 'FX', 0.5],
    [25, 'FX', 0.5],
    [24, 'F', 0],
    [0, 'F', 0],
  ];
  for (const [score, letter, gpa] of cases) {
    it(`gives ${score} → ${letter} (${gpa})`, () => {
      const band = bandFor(score);
      expect(band.letter).toBe(letter);
      expect(band.gpa).toBe(gpa);
    });
  }

  it('covers every whole score from 0 to 100 with exactly one band', () => {
    for (let score = 0; score <= 100; score++) {
      expect(gradeScale.filter((b) => score >= b.min && score <= b.max).length)
        .withContext(`score ${score}`)
        .toBe(1);
    }
  });

  it('refuses scores outside 0..100 and fractions with BAD_USER_INPUT', () => {
    for (const score of [-1, 101, 50.5, Number.NaN, 1000]) {
      let caught: unknown;
      try {
        bandFor(score);
      } catch (error) {
        caught = error;
      }
      expect(caught).withContext(`score ${score}`).toEqual(jasmine.any(GraphQLError));
      expect((caught as GraphQLError).extensions.code)
        .withContext(`score ${score}`)
        .toBe('BAD_USER_INPUT');
    }
  });
});

const GRADE =
  'mutation($s:ID!,$score:Int!,$c:String){ gradeSitting(sittingId:$s, score:$score, comment:$c){ id grade { score letter gpa comment gradedAt gradedBy { login } } } }';
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const SAVE = 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ status } }';
const MY_GRADE = 'query($e:ID!){ exam(id:$e){ mySitting { grade { score letter gpa comment gradedBy { login } } } } }';
const JOURNAL =
  'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ student { login } discipline { code } period { id } exam { id } grade { score letter gpa comment gradedBy { login } } } }';
const MY_JOURNAL =
  'query($y:ID!,$p:ID){ myJournal(academicYearId:$y, periodId:$p){ student { login } discipline { title } period { id } exam { id } grade { score letter gpa } } }';

/** R7.7, R2.5: grading through the API, and where the grade shows. */
describe('grading', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let otherTeacher: string;
  let s: string[];
  let examId: string;
  let sittingOf: Record<string, string>; // login → sitting id

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 4);
    [staff, teacher, otherTeacher] = await Promise.all([
      server.login('staff'),
      server.login('teacher'),
      server.login('teacher2'),
    ]);
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
    examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain transactions.',
    });
    await server.ok(s[0], SUBMIT, { e: examId, t: 'ACID, isolation levels and more' });
    await server.ok(s[1], SUBMIT, { e: examId, t: 'A second sent answer here' });
    await server.ok(s[2], SAVE, { e: examId, t: 'only a draft, never sent' });
    const room = await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }', {
      e: examId,
    });
    sittingOf = Object.fromEntries(
      room.exam.sittings.map((x: { id: string; student: { login: string } }) => [x.student.login, x.id]),
    );
  });
  afterAll(() => server.stop());

  it("lets the exam's teacher grade a sent answer, with letter, GPA, comment and grader", async () => {
    const before = Date.now();
    const graded = await server.ok(teacher, GRADE, { s: sittingOf.s01, score: 87, c: '  Good work  ' });
    expect(graded.gradeSitting.id).toBe(sittingOf.s01);
    const grade = graded.gradeSitting.grade;
    expect(grade).toEqual({
      score: 87,
      letter: 'B+',
      gpa: 3.33,
      comment: 'Good work',
      gradedAt: jasmine.any(String),
      gradedBy: { login: 'teacher' },
    });
    expect(Date.parse(grade.gradedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses another teacher with NOT_FOUND and a student with FORBIDDEN, changing nothing', async () => {
    expect(await server.code(otherTeacher, GRADE, { s: sittingOf.s02, score: 90 })).toBe('NOT_FOUND');
    expect(await server.code(s[1], GRADE, { s: sittingOf.s02, score: 100 })).toBe('FORBIDDEN');
    expect(await server.code(null, GRADE, { s: sittingOf.s02, score: 100 })).toBe('UNAUTHENTICATED');
    expect(await server.code(teacher, GRADE, { s: '00000000-0000-4000-8000-000000000000', score: 90 })).toBe(
      'NOT_FOUND',
    );
    expect((await server.ok(s[1], MY_GRADE, { e: examId })).exam.mySitting.grade).toBeNull();
  });

  it('refuses scores outside 0..100 with BAD_USER_INPUT', async () => {
    expect(await server.code(teacher, GRADE, { s: sittingOf.s02, score: 101 })).toBe('BAD_USER_INPUT');
    expect(await server.code(teacher, GRADE, { s: sittingOf.s02, score: -1 })).toBe('BAD_USER_INPUT');
    expect(await server.code(teacher, GRADE, { s: sittingOf.s02, score: 50.5 })).toBe('BAD_USER_INPUT');
    expect(await server.code(teacher, GRADE, { s: sittingOf.s02, score: 70, c: 'x'.repeat(5001) })).toBe(
      'BAD_USER_INPUT',
    );
    expect((await server.ok(s[1], MY_GRADE, { e: examId })).exam.mySitting.grade).toBeNull();
  });

  it('refuses to grade an answer that was not sent while the exam is still open', async () => {
    expect(await server.code(teacher, GRADE, { s: sittingOf.s03, score: 60 })).toBe('BAD_USER_INPUT'); // a draft
    expect(await server.code(staff, GRADE, { s: sittingOf.s04, score: 0 })).toBe('BAD_USER_INPUT'); // nothing at all
    expect((await server.ok(s[2], MY_GRADE, { e: examId })).exam.mySitting.grade).toBeNull();
  });

  it('lets staff grade, and a later grade replaces the earlier one', async () => {
    await server.ok(staff, GRADE, { s: sittingOf.s02, score: 40 });
    const regraded = await server.ok(teacher, GRADE, { s: sittingOf.s02, score: 95 });
    expect(regraded.gradeSitting.grade).toEqual(
      jasmine.objectContaining({ score: 95, letter: 'A', gpa: 4, comment: null, gradedBy: { login: 'teacher' } }),
    );
  });

  it("shows the grade on the student's own exam page (R2.5) once published, and only their own", async () => {
    // issue 12: a draft until the exam's results are published
    expect((await server.ok(s[0], MY_GRADE, { e: examId })).exam.mySitting.grade).toBeNull();
    await updateExam(server, staff, u, examId, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain transactions.',
      startsAt: minutes(-120),
      endsAt: minutes(-2),
      autoSendAtEnd: false,
    });
    await server.ok(teacher, 'mutation($e:ID!){ publishResults(examId:$e){ id } }', { e: examId });
    const mine = await server.ok(s[0], MY_GRADE, { e: examId });
    expect(mine.exam.mySitting.grade).toEqual({
      score: 87,
      letter: 'B+',
      gpa: 3.33,
      comment: 'Good work',
      gradedBy: { login: 'teacher' },
    });
    expect((await server.ok(s[1], MY_GRADE, { e: examId })).exam.mySitting.grade).toEqual(
      jasmine.objectContaining({ score: 95, letter: 'A' }),
    );
    expect((await server.ok(s[3], MY_GRADE, { e: examId })).exam.mySitting.grade).toBeNull();
  });

  it("puts the grades in the journal of the discipline and period, for staff and the exam's teacher", async () => {
    for (const token of [staff, teacher]) {
      const rows = (await server.ok(token, JOURNAL, { d: u.disciplineId, p: u.periodId })).journal;
      expect(rows.map((r: { student: { login: string } }) => r.student.login)).toEqual(['s01', 's02', 's03', 's04']);
      for (const row of rows) {
        expect(row.discipline.code).toBe('DB-1');
        expect(row.period.id).toBe(u.periodId);
        expect(row.exam.id).toBe(examId);
      }
      expect(rows.map((r: { grade: { score: number } | null }) => r.grade?.score ?? null)).toEqual([
        87,
        95,
        null,
        null,
      ]);
      expect(rows[0].grade).toEqual({
        score: 87,
        letter: 'B+',
        gpa: 3.33,
        comment: 'Good work',
        gradedBy: { login: 'teacher' },
      });
    }
    expect((await server.ok(otherTeacher, JOURNAL, { d: u.disciplineId, p: u.periodId })).journal).toEqual([]);
    expect((await server.ok(staff, JOURNAL, { d: u.disciplineId, p: u.otherPeriodId })).journal).toEqual([]);
    expect(await server.code(s[0], JOURNAL, { d: u.disciplineId, p: u.periodId })).toBe('FORBIDDEN');
  });

  it("puts the grade in the student's own journal, filtered by year and period", async () => {
    const year = (await server.ok(s[0], MY_JOURNAL, { y: u.yearId })).myJournal;
    expect(year).toEqual([
      {
        student: { login: 's01' },
        discipline: { title: 'Databases' },
        period: { id: u.periodId },
        exam: { id: examId },
        grade: { score: 87, letter: 'B+', gpa: 3.33 },
      },
    ]);
    expect((await server.ok(s[0], MY_JOURNAL, { y: u.yearId, p: u.periodId })).myJournal.length).toBe(1);
    expect((await server.ok(s[0], MY_JOURNAL, { y: u.yearId, p: u.otherPeriodId })).myJournal).toEqual([]);
    const ungraded = (await server.ok(s[3], MY_JOURNAL, { y: u.yearId })).myJournal;
    expect(ungraded.map((r: { student: { login: string }; grade: unknown }) => [r.student.login, r.grade])).toEqual([
      ['s04', null],
    ]);
  });

  describe('once the exam is over', () => {
    it('lets a sitting without a sent answer be graded, except one still running on extra time', async () => {
      const ended = await createExam(server, staff, u, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Late task',
        startsAt: minutes(-120),
        endsAt: new Date(Date.now() - 60_000).toISOString(),
        studentIds: [u.students[0].id, u.students[1].id],
      });
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ id } }',
        { e: ended, s: u.students[1].id, t: minutes(30) },
      );
      const room = await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }', {
        e: ended,
      });
      const id = (login: string) =>
        room.exam.sittings.find((x: { student: { login: string } }) => x.student.login === login).id;

      const absent = await server.ok(teacher, GRADE, { s: id('s01'), score: 0, c: 'No answer was sent.' });
      expect(absent.gradeSitting.grade).toEqual(jasmine.objectContaining({ score: 0, letter: 'F', gpa: 0 }));
      expect(await server.code(teacher, GRADE, { s: id('s02'), score: 50 })).toBe('BAD_USER_INPUT');
    });
  });
});
