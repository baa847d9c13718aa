import { INTERNAL_MESSAGE } from '../../common/error-format';
import { logger } from '../../common/logger';
import {
  addTickets,
  CREATE_EXAM,
  createExam,
  minutes,
  seedUniversity,
  startTestServer,
  type GqlResult,
  type TestServer,
  type University,
} from '../../testing/harness';
import { AcademicYear, Period } from '../calendar/calendar.entity';

const UPDATE_EXAM =
  'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }';
const ADD_TICKET = 'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id number } }';
const SET_PLATFORM =
  'mutation($e:ID!,$p:PlatformInput){ setPlatform(examId:$e, platform:$p){ platform { name url login password } } }';
const SET_RECORDING =
  'mutation($e:ID!,$u:String,$v:Boolean!){ setRecording(examId:$e, url:$u, visibleToStudents:$v){ recording { url visibleToStudents } } }';
const UPSERT = 'mutation($users:[UserInput!]!){ upsertUsers(users:$users){ id login fullName role } }';
const LOGIN = 'mutation($l:String!,$p:String!){ login(login:$l,password:$p){ token user { login role } } }';
const UNKNOWN_ID = '00000000-0000-0000-0000-000000000000';

/** A refusal must carry a code and a sentence, and never a stack trace or the server's internals. */
function expectCleanError(result: GqlResult, context = '') {
  expect(result.errors?.length).withContext(`${context}: an error was expected`).toBeGreaterThan(0);
  const raw = JSON.stringify(result);
  expect(raw)
    .withContext(context)
    .not.toMatch(/stacktrace/i);
  expect(raw)
    .withContext(context)
    .not.toMatch(/\s+at\s+\S+\s+\(?\/?[\w/.-]+:\d+:\d+\)?/);
  expect(raw)
    .withContext(context)
    .not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
  for (const e of result.errors ?? []) {
    expect(typeof e.extensions?.code)
      .withContext(context)
      .toBe('string');
    expect(Object.keys(e.extensions ?? {}))
      .withContext(context)
      .toEqual(['code']);
    expect(e.message.length).withContext(context).toBeGreaterThan(5);
  }
}

describe('exam administration', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let student: string;

  /** The code of a refused operation, checking on the way that the error is clean. */
  async function refused(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<string | undefined> {
    const result = await server.gql(token, query, variables);
    expectCleanError(result, query.slice(0, 60));
    return result.errors?.[0]?.extensions?.code;
  }

  function examInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      periodId: u.periodId,
      disciplineId: u.disciplineId,
      teacherId: u.teacher.id,
      startsAt: minutes(60),
      endsAt: minutes(180),
      format: 'TICKETS',
      ticketAssignment: 'STUDENT_CHOICE',
      studentIds: u.students.map((s) => s.id),
      ...overrides,
    };
  }

  async function newExam(overrides: Record<string, unknown> = {}): Promise<string> {
    return (await server.ok(staff, CREATE_EXAM, { input: examInput(overrides) })).createExam.id;
  }

  async function examCount(): Promise<number> {
    const [a, b] = await Promise.all(
      [u.periodId, u.otherPeriodId].map((p) => server.ok(staff, 'query($p:ID!){ exams(periodId:$p){ id } }', { p })),
    );
    return a.exams.length + b.exams.length;
  }

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    [staff, teacher, student] = await Promise.all([
      server.login('staff'),
      server.login('teacher'),
      server.login('s01'),
    ]);
  });
  afterAll(() => server.stop());

  // ---- createExam / updateExam -------------------------------------------------------------------

  describe('examDefaults', () => {
    it("gives staff the server's defaults for a new exam, and nobody else", async () => {
      const data = await server.ok(staff, '{ examDefaults { autoSendAtEnd sendGraceSeconds } }');
      // the defaults of config.ts: AUTO_SEND_AT_END on, SEND_GRACE_MS 30 s
      expect(data.examDefaults).toEqual({ autoSendAtEnd: true, sendGraceSeconds: 30 });
      for (const token of [teacher, student]) {
        expect(await refused(token, '{ examDefaults { autoSendAtEnd } }')).toBe('FORBIDDEN');
      }
      expect(await refused(null, '{ examDefaults { autoSendAtEnd } }')).toBe('UNAUTHENTICATED');
      const off = await startTestServer({ autoSendAtEnd: false });
      try {
        await seedUniversity(off, 1);
        const data = await off.ok(await off.login('staff'), '{ examDefaults { autoSendAtEnd } }');
        expect(data.examDefaults.autoSendAtEnd).toBeFalse();
      } finally {
        await off.stop();
      }
    });
  });

  describe('createExam', () => {
    it('creates an exam with what was given', async () => {
      const input = examInput({ format: 'TASK', ticketAssignment: null, taskText: 'Write about indexes' });
      const data = await server.ok(
        staff,
        'mutation($input:ExamInput!){ createExam(input:$input){ id startsAt endsAt format ticketAssignment teacher { login } period { id } discipline { id } task { text } sittings { student { login } } } }',
        { input },
      );
      expect(data.createExam).toEqual(
        jasmine.objectContaining({
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          format: 'TASK',
          ticketAssignment: null,
          teacher: { login: 'teacher' },
          period: { id: u.periodId },
          discipline: { id: u.disciplineId },
          task: { text: 'Write about indexes' },
        }),
      );
      expect(data.createExam.sittings.map((s: { student: { login: string } }) => s.student.login).sort()).toEqual([
        's01',
        's02',
        's03',
      ]);
    });

    const cases: [string, string, () => Record<string, unknown>][] = [
      ['an end before the start', 'BAD_USER_INPUT', () => ({ startsAt: minutes(120), endsAt: minutes(60) })],
      [
        'an end equal to the start',
        'BAD_USER_INPUT',
        () => ({ startsAt: '2026-10-01T04:00:00.000Z', endsAt: '2026-10-01T04:00:00.000Z' }),
      ],
      [
        'an exam longer than a week',
        'BAD_USER_INPUT',
        () => ({ startsAt: minutes(60), endsAt: minutes(60 + 8 * 24 * 60) }),
      ],
      ['a teacherId that is a student', 'BAD_USER_INPUT', () => ({ teacherId: u.students[0].id })],
      ['a teacherId that is staff', 'BAD_USER_INPUT', () => ({ teacherId: u.staff.id })],
      ['a teacherId of nobody', 'BAD_USER_INPUT', () => ({ teacherId: UNKNOWN_ID })],
      ['an unknown periodId', 'NOT_FOUND', () => ({ periodId: UNKNOWN_ID })],
      ['an unknown disciplineId', 'NOT_FOUND', () => ({ disciplineId: UNKNOWN_ID })],
      ['a student id that is a teacher', 'BAD_USER_INPUT', () => ({ studentIds: [u.students[0].id, u.teacher.id] })],
      ['a student id that is staff', 'BAD_USER_INPUT', () => ({ studentIds: [u.staff.id] })],
      ['a student id of nobody', 'BAD_USER_INPUT', () => ({ studentIds: [u.students[0].id, UNKNOWN_ID] })],
      [
        'a task exam with a ticketAssignment',
        'BAD_USER_INPUT',
        () => ({ format: 'TASK', ticketAssignment: 'RANDOM', taskText: 'x' }),
      ],
      ['a startsAt that is not an ISO instant', 'BAD_USER_INPUT', () => ({ startsAt: 'tomorrow at nine' })],
      ['a format that does not exist', 'BAD_USER_INPUT', () => ({ format: 'ORAL' })],
    ];
    for (const [what, code, overrides] of cases) {
      it(`refuses ${what} with ${code} and creates nothing`, async () => {
        const before = await examCount();
        expect(await refused(staff, CREATE_EXAM, { input: examInput(overrides()) })).toBe(code);
        expect(await examCount()).toBe(before);
      });
    }
  });

  describe('updateExam', () => {
    const EXAM =
      'query($e:ID!){ exam(id:$e){ startsAt endsAt teacher { login } period { id } sittings { student { login } } } }';

    it('changes the exam, its teacher and its enrolment', async () => {
      const examId = await newExam();
      const input = examInput({
        teacherId: u.otherTeacher.id,
        studentIds: [u.students[0].id],
        startsAt: minutes(30),
        endsAt: minutes(90),
      });
      await server.ok(staff, UPDATE_EXAM, { id: examId, input });
      const exam = (await server.ok(staff, EXAM, { e: examId })).exam;
      expect(exam.teacher.login).toBe('teacher2');
      expect(exam.startsAt).toBe(input.startsAt);
      expect(exam.sittings.map((s: { student: { login: string } }) => s.student.login)).toEqual(['s01']);
      // the old teacher lost it, the new one has it
      expect(await refused(teacher, EXAM, { e: examId })).toBe('NOT_FOUND');
      expect((await server.ok(await server.login('teacher2'), EXAM, { e: examId })).exam.teacher.login).toBe(
        'teacher2',
      );
    });

    const cases: [string, string, () => Record<string, unknown>][] = [
      ['an end before the start', 'BAD_USER_INPUT', () => ({ startsAt: minutes(120), endsAt: minutes(60) })],
      ['a teacherId that is not a TEACHER', 'BAD_USER_INPUT', () => ({ teacherId: u.students[1].id })],
      ['an unknown periodId', 'NOT_FOUND', () => ({ periodId: UNKNOWN_ID })],
      ['a student id that is not a STUDENT', 'BAD_USER_INPUT', () => ({ studentIds: [u.otherTeacher.id] })],
    ];
    for (const [what, code, overrides] of cases) {
      it(`refuses ${what} with ${code} and leaves the exam as it was`, async () => {
        const examId = await newExam();
        const before = (await server.ok(staff, EXAM, { e: examId })).exam;
        expect(await refused(staff, UPDATE_EXAM, { id: examId, input: examInput(overrides()) })).toBe(code);
        expect((await server.ok(staff, EXAM, { e: examId })).exam).toEqual(before);
      });
    }

    it('refuses an unknown exam with NOT_FOUND', async () => {
      expect(await refused(staff, UPDATE_EXAM, { id: UNKNOWN_ID, input: examInput() })).toBe('NOT_FOUND');
    });

    it('refuses to drop a student who has entered, and to change the format once tickets are held', async () => {
      const examId = await newExam({ startsAt: minutes(-1), endsAt: minutes(60), ticketAssignment: 'STAFF' });
      const [t1] = await addTickets(server, staff, examId, 1);
      await server.ok(student, 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId });
      const live = { startsAt: minutes(-1), endsAt: minutes(60), ticketAssignment: 'STAFF' };
      expect(
        await refused(staff, UPDATE_EXAM, {
          id: examId,
          input: examInput({ ...live, studentIds: [u.students[1].id] }),
        }),
      ).toBe('BAD_USER_INPUT');

      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: u.students[0].id, t: t1 },
      );
      expect(
        await refused(staff, UPDATE_EXAM, {
          id: examId,
          input: examInput({ ...live, format: 'TASK', ticketAssignment: null, taskText: 'now a task' }),
        }),
      ).toBe('BAD_USER_INPUT');
      const exam = (
        await server.ok(staff, 'query($e:ID!){ exam(id:$e){ format sittings { student { login } } } }', { e: examId })
      ).exam;
      expect(exam.format).toBe('TICKETS');
      expect(exam.sittings.length).toBe(3);
    });
  });

  // ---- tickets ----------------------------------------------------------------------------------

  describe('addTicket', () => {
    it('refuses a duplicate number with BAD_USER_INPUT and keeps the first ticket', async () => {
      const examId = await newExam();
      await server.ok(staff, ADD_TICKET, { e: examId, n: 1, q: 'First questions' });
      const result = await server.gql(staff, ADD_TICKET, { e: examId, n: 1, q: 'Duplicate questions' });
      expectCleanError(result, 'duplicate ticket');
      expect(result.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toContain('1');
      // the server is still fine afterwards, and the exam holds only the first ticket
      await server.ok(staff, ADD_TICKET, { e: examId, n: 2, q: 'Second questions' });
      const tickets = (
        await server.ok(staff, 'query($e:ID!){ exam(id:$e){ tickets { number questions } } }', { e: examId })
      ).exam.tickets;
      expect(tickets).toEqual([
        { number: 1, questions: 'First questions' },
        { number: 2, questions: 'Second questions' },
      ]);
    });

    it('allows the same number at another exam', async () => {
      const [a, b] = [await newExam(), await newExam()];
      await server.ok(staff, ADD_TICKET, { e: a, n: 5, q: 'q' });
      expect((await server.ok(staff, ADD_TICKET, { e: b, n: 5, q: 'q' })).addTicket.number).toBe(5);
    });

    it('refuses renumbering a ticket onto a taken number', async () => {
      const examId = await newExam();
      const [, t2] = await addTickets(server, staff, examId, 2);
      expect(
        await refused(staff, 'mutation($t:ID!){ updateTicket(ticketId:$t, number:1, questions:"moved"){ id } }', {
          t: t2,
        }),
      ).toBe('BAD_USER_INPUT');
    });

    it('refuses a number below 1, empty questions, a task exam and an unknown exam', async () => {
      const examId = await newExam();
      expect(await refused(staff, ADD_TICKET, { e: examId, n: 0, q: 'q' })).toBe('BAD_USER_INPUT');
      expect(await refused(staff, ADD_TICKET, { e: examId, n: 1, q: '   ' })).toBe('BAD_USER_INPUT');
      const task = await newExam({ format: 'TASK', ticketAssignment: null, taskText: 't' });
      expect(await refused(staff, ADD_TICKET, { e: task, n: 1, q: 'q' })).toBe('BAD_USER_INPUT');
      expect(await refused(staff, ADD_TICKET, { e: UNKNOWN_ID, n: 1, q: 'q' })).toBe('NOT_FOUND');
      expect(
        (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ tickets { id } } }', { e: examId })).exam.tickets,
      ).toEqual([]);
    });
  });

  // ---- platform and recording ---------------------------------------------------------------

  describe('setPlatform', () => {
    const ZOOM = { name: 'Zoom', url: 'https://zoom.example/j/42', login: 'room42', password: 'secret42' };

    it('sets the platform, and null removes it', async () => {
      const examId = await newExam();
      expect((await server.ok(staff, SET_PLATFORM, { e: examId, p: ZOOM })).setPlatform.platform).toEqual(ZOOM);
      expect(
        (await server.ok(student, 'query($e:ID!){ exam(id:$e){ platform { url } } }', { e: examId })).exam.platform,
      ).toEqual({ url: ZOOM.url });

      expect((await server.ok(staff, SET_PLATFORM, { e: examId, p: null })).setPlatform.platform).toBeNull();
      expect(
        (await server.ok(student, 'query($e:ID!){ exam(id:$e){ platform { url password } } }', { e: examId })).exam
          .platform,
      ).toBeNull();
      expect(
        (await server.ok(staff, 'mutation($e:ID!){ setPlatform(examId:$e){ platform { url } } }', { e: examId }))
          .setPlatform.platform,
      ).toBeNull();
    });

    for (const url of [
      'javascript:alert(document.cookie)',
      '  JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://files.example/x',
      'zoom.example/j/1',
      '',
    ]) {
      it(`refuses ${JSON.stringify(url)} with BAD_USER_INPUT and keeps the platform that was set`, async () => {
        const examId = await newExam();
        await server.ok(staff, SET_PLATFORM, { e: examId, p: ZOOM });
        expect(await refused(staff, SET_PLATFORM, { e: examId, p: { ...ZOOM, url } })).toBe('BAD_USER_INPUT');
        expect(
          (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ platform { url } } }', { e: examId })).exam.platform,
        ).toEqual({ url: ZOOM.url });
      });
    }

    it('refuses an empty name and fields too long to store, with BAD_USER_INPUT', async () => {
      const examId = await newExam();
      expect(await refused(staff, SET_PLATFORM, { e: examId, p: { ...ZOOM, name: '  ' } })).toBe('BAD_USER_INPUT');
      expect(await refused(staff, SET_PLATFORM, { e: examId, p: { ...ZOOM, name: 'Z'.repeat(201) } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        await refused(staff, SET_PLATFORM, {
          e: examId,
          p: { ...ZOOM, url: `https://zoom.example/${'a'.repeat(2000)}` },
        }),
      ).toBe('BAD_USER_INPUT');
      expect(await refused(staff, SET_PLATFORM, { e: examId, p: { ...ZOOM, login: 'l'.repeat(201) } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await refused(staff, SET_PLATFORM, { e: examId, p: { ...ZOOM, password: 'p'.repeat(201) } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ platform { url } } }', { e: examId })).exam.platform,
      ).toBeNull();
    });
  });

  describe('setRecording', () => {
    it('sets the recording and its visibility, and a null url removes it', async () => {
      const examId = await newExam();
      expect(
        (await server.ok(staff, SET_RECORDING, { e: examId, u: 'https://video.example/r/1', v: true })).setRecording
          .recording,
      ).toEqual({ url: 'https://video.example/r/1', visibleToStudents: true });
      expect(
        (await server.ok(student, 'query($e:ID!){ exam(id:$e){ recording { url } } }', { e: examId })).exam.recording,
      ).toEqual({ url: 'https://video.example/r/1' });

      expect(
        (await server.ok(staff, SET_RECORDING, { e: examId, u: 'https://video.example/r/1', v: false })).setRecording
          .recording,
      ).toEqual({ url: 'https://video.example/r/1', visibleToStudents: false });
      expect(
        (await server.ok(student, 'query($e:ID!){ exam(id:$e){ recording { url } } }', { e: examId })).exam.recording,
      ).toBeNull();

      expect(
        (await server.ok(staff, SET_RECORDING, { e: examId, u: null, v: true })).setRecording.recording,
      ).toBeNull();
      expect(
        (await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ recording { url } } }', { e: examId })).exam.recording,
      ).toBeNull();
    });

    it('refuses a javascript: url, and a url too long to store, with BAD_USER_INPUT', async () => {
      const examId = await newExam();
      await server.ok(staff, SET_RECORDING, { e: examId, u: 'https://video.example/r/2', v: false });
      expect(await refused(staff, SET_RECORDING, { e: examId, u: 'javascript:alert(1)', v: true })).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        await refused(staff, SET_RECORDING, { e: examId, u: `https://video.example/${'r'.repeat(2000)}`, v: true }),
      ).toBe('BAD_USER_INPUT');
      expect(
        (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ recording { url visibleToStudents } } }', { e: examId }))
          .exam.recording,
      ).toEqual({ url: 'https://video.example/r/2', visibleToStudents: false });
    });

    it('refuses an unknown exam with NOT_FOUND', async () => {
      expect(await refused(staff, SET_RECORDING, { e: UNKNOWN_ID, u: 'https://video.example/r/3', v: true })).toBe(
        'NOT_FOUND',
      );
    });
  });

  // ---- people -----------------------------------------------------------------------------------

  describe('upsertUsers', () => {
    it('creates people, then updates them by login (same id)', async () => {
      const created = (
        await server.ok(staff, UPSERT, {
          users: [
            { login: 'new.student', fullName: 'New Student', role: 'STUDENT' },
            { login: 'new.teacher', fullName: 'New Teacher', role: 'TEACHER', password: 'teach-pass' },
          ],
        })
      ).upsertUsers;
      expect(
        created.map((x: { login: string; fullName: string; role: string }) => [x.login, x.fullName, x.role]),
      ).toEqual([
        ['new.student', 'New Student', 'STUDENT'],
        ['new.teacher', 'New Teacher', 'TEACHER'],
      ]);

      const updated = (
        await server.ok(staff, UPSERT, {
          users: [{ login: 'new.student', fullName: 'Renamed Student', role: 'STUDENT' }],
        })
      ).upsertUsers;
      expect(updated).toEqual([
        { id: created[0].id, login: 'new.student', fullName: 'Renamed Student', role: 'STUDENT' },
      ]);

      const students = (await server.ok(staff, '{ users(role: STUDENT) { id login fullName } }')).users;
      expect(students.filter((x: { login: string }) => x.login === 'new.student')).toEqual([
        { id: created[0].id, login: 'new.student', fullName: 'Renamed Student' },
      ]);
    });

    it('lets a person log in with the password given, and only then', async () => {
      await server.ok(staff, UPSERT, { users: [{ login: 'pw.person', fullName: 'Pw Person', role: 'STUDENT' }] });
      expect(await refused(null, LOGIN, { l: 'pw.person', p: '' })).toBe('UNAUTHENTICATED');
      expect(await refused(null, LOGIN, { l: 'pw.person', p: 'first-pass' })).toBe('UNAUTHENTICATED');

      await server.ok(staff, UPSERT, {
        users: [{ login: 'pw.person', fullName: 'Pw Person', role: 'STUDENT', password: 'first-pass' }],
      });
      const first = (await server.ok(null, LOGIN, { l: 'pw.person', p: 'first-pass' })).login;
      expect(first.user).toEqual({ login: 'pw.person', role: 'STUDENT' });
      expect((await server.ok(first.token, '{ me { login } }')).me.login).toBe('pw.person');

      // an update without a password keeps the one there is
      await server.ok(staff, UPSERT, { users: [{ login: 'pw.person', fullName: 'Pw Person', role: 'TEACHER' }] });
      expect((await server.ok(null, LOGIN, { l: 'pw.person', p: 'first-pass' })).login.user).toEqual({
        login: 'pw.person',
        role: 'TEACHER',
      });

      // a new password replaces the old one
      await server.ok(staff, UPSERT, {
        users: [{ login: 'pw.person', fullName: 'Pw Person', role: 'TEACHER', password: 'second-pass' }],
      });
      expect(await refused(null, LOGIN, { l: 'pw.person', p: 'first-pass' })).toBe('UNAUTHENTICATED');
      expect((await server.ok(null, LOGIN, { l: 'pw.person', p: 'second-pass' })).login.user.login).toBe('pw.person');
    });

    const cases: [string, () => Record<string, unknown>[]][] = [
      [
        'a login given twice',
        () => [
          { login: 'twice', fullName: 'A', role: 'STUDENT' },
          { login: 'twice', fullName: 'B', role: 'STUDENT' },
        ],
      ],
      [
        'a password shorter than 4 characters',
        () => [{ login: 'shortpw', fullName: 'Short', role: 'STUDENT', password: 'abc' }],
      ],
      ['a login with spaces inside', () => [{ login: 'has space', fullName: 'Space', role: 'STUDENT' }]],
      ['an empty full name', () => [{ login: 'noname', fullName: '  ', role: 'STUDENT' }]],
      ['a full name too long to store', () => [{ login: 'longname', fullName: 'N'.repeat(301), role: 'STUDENT' }]],
      ['a full name with a NUL byte', () => [{ login: 'nulname', fullName: 'Null\u0000Name', role: 'STUDENT' }]],
      [
        'a good person next to a bad one',
        () => [
          { login: 'good.one', fullName: 'Good', role: 'STUDENT' },
          { login: 'x', fullName: 'Bad', role: 'STUDENT' },
        ],
      ],
    ];
    for (const [what, users] of cases) {
      it(`refuses ${what} with BAD_USER_INPUT and writes nobody`, async () => {
        const before = (await server.ok(staff, '{ users { id } }')).users.length;
        expect(await refused(staff, UPSERT, { users: users() })).toBe('BAD_USER_INPUT');
        expect((await server.ok(staff, '{ users { id } }')).users.length).toBe(before);
      });
    }
  });

  // ---- unexpected failures -------------------------------------------------------------------------

  describe('an unexpected server error', () => {
    beforeEach(() => spyOn(logger, 'error'));

    it('reaches the client as a generic INTERNAL_SERVER_ERROR, without its message or stack', async () => {
      spyOn(server.app.services.users, 'upsert').and.rejectWith(
        new Error('connection to 10.0.0.7 refused by db-secret-host'),
      );
      const result = await server.gql(staff, UPSERT, { users: [{ login: 'boom', fullName: 'Boom', role: 'STUDENT' }] });
      expectCleanError(result, 'internal');
      expect(result.errors![0]).toEqual(
        jasmine.objectContaining({ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      );
      expect(JSON.stringify(result)).not.toContain('db-secret-host');
      expect(logger.error).toHaveBeenCalled();
    });

    it('in a field keeps the rest of the answer and hides the detail', async () => {
      const examId = await newExam();
      spyOn(server.app.services.sittings, 'onlineSince').and.rejectWith(
        new TypeError("Cannot read properties of undefined (reading 'presenceMap')"),
      );
      const result = await server.gql(staff, 'query($e:ID!){ exam(id:$e){ id sittings { online } } }', { e: examId });
      expectCleanError(result, 'field');
      expect(
        result.errors!.every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && e.message === INTERNAL_MESSAGE),
      ).toBeTrue();
      expect(JSON.stringify(result)).not.toContain('presenceMap');
    });

    it('on the file endpoint is a generic 500 JSON without its detail', async () => {
      const examId = await newExam({ format: 'TASK', ticketAssignment: null, taskText: 't' });
      const form = new FormData();
      form.append('file', new Blob(['x']), 'task.txt');
      const up = await fetch(`${server.url}/files/exams/${examId}/task`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staff}` },
        body: form,
      });
      expect(up.status).toBe(201);
      const [file] = ((await up.json()) as { files: { id: string }[] }).files;

      spyOn(server.app.services.files, 'canDownload').and.rejectWith(new Error('EACCES: /var/lib/secret/file-store'));
      const boom = await fetch(`${server.url}/files/${file.id}`, { headers: { authorization: `Bearer ${staff}` } });
      expect(boom.status).toBe(500);
      const body = await boom.text();
      expect(JSON.parse(body).error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body).not.toContain('/var/lib/secret');
      expect(body).not.toMatch(/stack|\s+at\s+/i);
      expect(logger.error).toHaveBeenCalled();
    });

    it('is not what malformed requests get: they are refused cleanly', async () => {
      const bad = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": "{ me { id } "',
      });
      expect(bad.status).toBe(400);
      const badBody = await bad.text();
      expect(badBody).not.toMatch(/stacktrace|\s+at\s+\S+:\d+/i);
      expect(JSON.parse(badBody).errors[0].extensions.code).toBe('BAD_REQUEST');

      expect(await refused(staff, '{ me { id }')).toBe('GRAPHQL_PARSE_FAILED');
      expect(await refused(staff, '{ me { id nonsense } }')).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await refused(staff, 'query($e:ID!){ exam(id:$e){ id } }', {})).toBe('BAD_USER_INPUT');
      expect(
        await refused(staff, 'mutation($s:ID!){ gradeSitting(sittingId:$s, score:"many"){ id } }', { s: UNKNOWN_ID }),
      ).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(
        await refused(staff, 'mutation($n:Int!){ addTicket(examId:"x", number:$n, questions:"q"){ id } }', {
          n: 2 ** 40,
        }),
      ).toBe('BAD_USER_INPUT');
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('is never mixed up with refusals: every refusal code in this file came without a stack', async () => {
      // a sample of each refusal family, checked for a clean error
      expect(await refused(null, '{ users { id } }')).toBe('UNAUTHENTICATED');
      expect(await refused(student, '{ users { id } }')).toBe('FORBIDDEN');
      expect(await refused(staff, 'query($e:ID!){ exam(id:$e){ id } }', { e: UNKNOWN_ID })).toBe('NOT_FOUND');
      expect(
        await refused(staff, 'mutation($s:ID!){ gradeSitting(sittingId:$s, score:101){ id } }', { s: UNKNOWN_ID }),
      ).toBe('NOT_FOUND');
      expect(logger.error).not.toHaveBeenCalled();
    });
  });
});

/** Lists: each role sees the exams it should, filtered as asked (R1.2, R1.3). */
describe('exam lists', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let teacher2: string;
  let s1: string;
  let s2: string;
  const ids: Record<string, string> = {};
  let otherYearId: string;
  let otherYearPeriodId: string;

  const EXAMS = 'query($p:ID!){ exams(periodId:$p){ id teacher { login } } }';
  const MY = 'query($y:ID!,$p:ID){ myExams(academicYearId:$y, periodId:$p){ id period { id } academicYear { id } } }';
  const idsOf = (list: { id: string }[]) => list.map((e) => e.id);

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    const em = server.app.orm.em.fork();
    const year = em.create(AcademicYear, { title: '2027-2028', startsOn: '2027-09-01', endsOn: '2028-06-30' });
    const period = em.create(Period, {
      academicYear: year,
      number: 1,
      title: 'Autumn',
      startsOn: '2027-09-01',
      endsOn: '2027-12-31',
    });
    await em.flush();
    otherYearId = year.id;
    otherYearPeriodId = period.id;

    [staff, teacher, teacher2, s1, s2] = await Promise.all(
      ['staff', 'teacher', 'teacher2', 's01', 's02'].map((l) => server.login(l)),
    );
    const make = async (name: string, periodId: string, teacherId: string, studentIds: string[], startsIn: number) => {
      ids[name] = (
        await server.ok(staff, CREATE_EXAM, {
          input: {
            periodId,
            disciplineId: u.disciplineId,
            teacherId,
            startsAt: minutes(startsIn),
            endsAt: minutes(startsIn + 90),
            format: 'TASK',
            taskText: `task of ${name}`,
            studentIds,
          },
        })
      ).createExam.id;
    };
    await make('autumnByTeacher', u.periodId, u.teacher.id, [u.students[0].id], 200);
    await make('autumnByTeacher2', u.periodId, u.otherTeacher.id, [u.students[1].id], 100);
    await make('springByTeacher', u.otherPeriodId, u.teacher.id, [u.students[0].id, u.students[1].id], 300);
    await make('nextYear', otherYearPeriodId, u.otherTeacher.id, [u.students[0].id], 400);
  });
  afterAll(() => server.stop());

  it('exams(periodId): staff see every exam of the period, in start order', async () => {
    expect(idsOf((await server.ok(staff, EXAMS, { p: u.periodId })).exams)).toEqual([
      ids.autumnByTeacher2,
      ids.autumnByTeacher,
    ]);
    expect(idsOf((await server.ok(staff, EXAMS, { p: u.otherPeriodId })).exams)).toEqual([ids.springByTeacher]);
    expect(idsOf((await server.ok(staff, EXAMS, { p: otherYearPeriodId })).exams)).toEqual([ids.nextYear]);
  });

  it('exams(periodId): a teacher sees only their own', async () => {
    const mine = (await server.ok(teacher, EXAMS, { p: u.periodId })).exams;
    expect(mine).toEqual([{ id: ids.autumnByTeacher, teacher: { login: 'teacher' } }]);
    expect(idsOf((await server.ok(teacher2, EXAMS, { p: u.periodId })).exams)).toEqual([ids.autumnByTeacher2]);
    expect(idsOf((await server.ok(teacher, EXAMS, { p: u.otherPeriodId })).exams)).toEqual([ids.springByTeacher]);
    expect((await server.ok(teacher2, EXAMS, { p: u.otherPeriodId })).exams).toEqual([]);
  });

  it('exams(periodId): an unknown period lists nothing, and students are FORBIDDEN', async () => {
    expect((await server.ok(staff, EXAMS, { p: UNKNOWN_ID })).exams).toEqual([]);
    expect(await server.code(s1, EXAMS, { p: u.periodId })).toBe('FORBIDDEN');
  });

  it("myExams: filters the calling student's exams by academic year", async () => {
    expect(idsOf((await server.ok(s1, MY, { y: u.yearId })).myExams)).toEqual([
      ids.autumnByTeacher,
      ids.springByTeacher,
    ]);
    expect(idsOf((await server.ok(s1, MY, { y: otherYearId })).myExams)).toEqual([ids.nextYear]);
    expect(idsOf((await server.ok(s2, MY, { y: u.yearId })).myExams)).toEqual([
      ids.autumnByTeacher2,
      ids.springByTeacher,
    ]);
    expect((await server.ok(s2, MY, { y: otherYearId })).myExams).toEqual([]);
  });

  it('myExams: filters by period within the year', async () => {
    const autumn = (await server.ok(s1, MY, { y: u.yearId, p: u.periodId })).myExams;
    expect(autumn).toEqual([{ id: ids.autumnByTeacher, period: { id: u.periodId }, academicYear: { id: u.yearId } }]);
    expect(idsOf((await server.ok(s1, MY, { y: u.yearId, p: u.otherPeriodId })).myExams)).toEqual([
      ids.springByTeacher,
    ]);
    expect(idsOf((await server.ok(s2, MY, { y: u.yearId, p: u.periodId })).myExams)).toEqual([ids.autumnByTeacher2]);
  });

  it('myExams: a period of another year lists nothing', async () => {
    expect((await server.ok(s1, MY, { y: u.yearId, p: otherYearPeriodId })).myExams).toEqual([]);
    expect((await server.ok(s1, MY, { y: otherYearId, p: u.periodId })).myExams).toEqual([]);
  });

  it('myExams: lists nothing for someone who sits no exams', async () => {
    expect((await server.ok(teacher, MY, { y: u.yearId })).myExams).toEqual([]);
    expect((await server.ok(staff, MY, { y: u.yearId })).myExams).toEqual([]);
  });
});

describe('changing an exam that has started', () => {
  let server: TestServer;
  let u: University;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 1);
    staff = await server.login('staff');
  });
  afterAll(() => server.stop());

  const input = (u: University, startsAt: string) => ({
    periodId: u.periodId,
    disciplineId: u.disciplineId,
    teacherId: u.teacher.id,
    startsAt,
    endsAt: minutes(60),
    format: 'TICKETS',
    ticketAssignment: 'STUDENT_CHOICE',
    studentIds: u.students.map((s) => s.id),
  });

  it('needs confirmation for the exam, its tickets and their files, and not before the start', async () => {
    const later = await createExam(server, staff, u, { startsAt: minutes(30) });
    expect(
      await server.code(staff, 'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input){ id } }', {
        id: later,
        input: input(u, minutes(40)),
      }),
    ).toBeUndefined();

    const running = await createExam(server, staff, u);
    const [ticket] = await addTickets(server, staff, running, 2);
    const unconfirmed = 'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input){ id } }';
    expect(await server.code(staff, unconfirmed, { id: running, input: input(u, minutes(-2)) })).toBe(
      'CONFIRMATION_REQUIRED',
    );
    expect(
      await server.code(staff, 'mutation($t:ID!){ updateTicket(ticketId:$t, number:7, questions:"new"){ id } }', {
        t: ticket,
      }),
    ).toBe('CONFIRMATION_REQUIRED');
    expect(await server.code(staff, 'mutation($t:ID!){ removeTicket(ticketId:$t) }', { t: ticket })).toBe(
      'CONFIRMATION_REQUIRED',
    );

    const form = new FormData();
    form.append('file', new Blob(['q']), 'q.pdf');
    const up = await fetch(`${server.url}/files/tickets/${ticket}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}` },
      body: form,
    });
    const [file] = ((await up.json()) as { files: { id: string }[] }).files;
    expect(await server.code(staff, 'mutation($f:ID!){ removeExamFile(fileId:$f) }', { f: file.id })).toBe(
      'CONFIRMATION_REQUIRED',
    );

    const confirmed = await server.ok(staff, 'mutation($f:ID!){ removeExamFile(fileId:$f, confirmStarted:true) }', {
      f: file.id,
    });
    expect(confirmed.removeExamFile).toBeTrue();
    const left = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ tickets { number files { id } } } }', {
      e: running,
    });
    expect(left.exam.tickets[0].files).toEqual([]);
    const renumbered = await server.ok(
      staff,
      'mutation($t:ID!){ updateTicket(ticketId:$t, number:7, questions:"new", confirmStarted:true){ number } }',
      { t: ticket },
    );
    expect(renumbered.updateTicket.number).toBe(7);
  });
});
