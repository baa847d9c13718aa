import { statementsOf } from '../testing/statements';
import {
  createExam,
  minutes,
  seedUniversity,
  startTestServer,
  type TestServer,
  type University,
} from '../testing/harness';
import { hashPassword } from '../modules/auth/passwords';
import { Role, User } from '../modules/users/user.entity';
import { Discipline } from '../modules/calendar/calendar.entity';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from '../orm';

/** issue 13: the cursor connections — order, paging under inserts, filters, search, cursors, bounds, roles, statements. */
describe('cursor connections', () => {
  const MAX_PAGE = 5;
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let teacher2: string;
  let student: string;
  let examId: string;
  let otherExamId: string;
  /** in the other period, of a discipline with a Kazakh title */
  let kazakhExamId: string;

  const USERS = `query($first:Int,$after:String,$search:String,$role:Role,$logins:[String!]){
    usersConnection(first:$first, after:$after, search:$search, role:$role, logins:$logins){
      totalCount pageInfo { endCursor hasNextPage } nodes { id login fullName role } } }`;
  const EXAMS = `query($first:Int,$after:String,$search:String,$periodId:ID,$teacherId:ID,$timing:ExamTiming,$startsFrom:DateTime,$startsBefore:DateTime,$disciplineId:ID,$academicYearId:ID){
    examsConnection(first:$first, after:$after, search:$search, periodId:$periodId, teacherId:$teacherId, timing:$timing, startsFrom:$startsFrom, startsBefore:$startsBefore, disciplineId:$disciplineId, academicYearId:$academicYearId){
      totalCount pageInfo { endCursor hasNextPage } nodes { id startsAt teacher { login } discipline { code } } } }`;
  const SITTINGS = `query($e:ID!,$first:Int,$after:String,$search:String,$states:[SittingState!]){
    exam(id:$e){ sittingsConnection(first:$first, after:$after, search:$search, states:$states){
      totalCount pageInfo { endCursor hasNextPage } nodes { id student { login fullName } } } } }`;
  const JOURNAL = `query($d:ID!,$p:ID!,$first:Int,$after:String,$search:String,$examId:ID){
    journalConnection(disciplineId:$d, periodId:$p, first:$first, after:$after, search:$search, examId:$examId){
      totalCount pageInfo { endCursor hasNextPage } nodes { sittingId student { login } exam { id } } } }`;
  const TRAIL = `query($e:ID!,$s:ID,$first:Int,$after:String,$kinds:[SittingEventKind!],$from:DateTime,$to:DateTime,$search:String){
    auditTrailConnection(examId:$e, sittingId:$s, first:$first, after:$after, kinds:$kinds, from:$from, to:$to, search:$search){
      totalCount pageInfo { endCursor hasNextPage } nodes { id kind at sittingId student { login } } } }`;

  /** every page of a connection, `first` at a time; `between` runs after each page but the last */
  async function walk(
    token: string,
    query: string,
    pick: (data: any) => any,
    variables: Record<string, unknown>,
    first: number,
    between?: (page: number) => Promise<void>,
  ): Promise<{ nodes: any[]; pages: number; totalCount: number }> {
    const nodes: any[] = [];
    let after: string | null = null;
    for (let page = 1; ; page++) {
      const connection = pick(await server.ok(token, query, { ...variables, first, after }));
      expect(connection.nodes.length).toBeLessThanOrEqual(first);
      nodes.push(...connection.nodes);
      if (!connection.pageInfo.hasNextPage) return { nodes, pages: page, totalCount: connection.totalCount };
      expect(connection.nodes.length).toBe(first);
      after = connection.pageInfo.endCursor;
      await between?.(page);
    }
  }

  const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);

  async function addPerson(login: string, fullName: string, role = Role.STUDENT): Promise<User> {
    const em = server.app.orm.em.fork();
    const person = em.create(User, { login, fullName, role, passwordHash: await hashPassword('pw') });
    await em.flush();
    return person;
  }

  beforeAll(async () => {
    server = await startTestServer({ maxPageSize: MAX_PAGE, maxSearchChars: 20 });
    u = await seedUniversity(server, 6);
    await addPerson('aliya', 'Әлия Нұрланқызы');
    await addPerson('erzhan', 'Ержан Қасымов');
    await addPerson('anna', 'Anna Smith');
    staff = await server.login('staff');
    teacher = await server.login('teacher');
    teacher2 = await server.login('teacher2');
    student = await server.login('s01');
    const everyone = (await server.ok(staff, '{ users(role: STUDENT) { id } }')).users.map((s: { id: string }) => s.id);
    examId = await createExam(server, staff, u, { studentIds: everyone });
    otherExamId = await createExam(server, staff, u, {
      teacherId: u.otherTeacher.id,
      startsAt: minutes(120),
      endsAt: minutes(180),
      studentIds: everyone.slice(0, 2),
    });
    const em = server.app.orm.em.fork();
    const kazakh = em.create(Discipline, { code: 'QAZ-1', title: 'Қазақ тілі' });
    await em.flush();
    kazakhExamId = await createExam(server, staff, u, {
      periodId: u.otherPeriodId,
      disciplineId: kazakh.id,
      startsAt: minutes(240),
      endsAt: minutes(300),
      studentIds: [],
    });
    // some trail: three students enter the running exam
    for (const login of ['s02', 's03', 'aliya'])
      await server.ok(await server.login(login), 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId });
  }, 60_000);

  afterAll(() => server?.stop());

  describe('usersConnection', () => {
    it('pages the same people in the same order as users(role), none twice', async () => {
      const whole = (await server.ok(staff, '{ users(role: STUDENT) { id } }')).users;
      const paged = await walk(staff, USERS, (d) => d.usersConnection, { role: 'STUDENT' }, 2);
      expect(ids(paged.nodes)).toEqual(ids(whole));
      expect(new Set(ids(paged.nodes)).size).toBe(whole.length);
      expect(paged.totalCount).toBe(whole.length);
      expect(paged.pages).toBe(Math.ceil(whole.length / 2));
    });

    it('keeps no gaps and no repeats when people are added before and after the cursor between pages', async () => {
      const before = (await server.ok(staff, '{ users(role: STUDENT) { id fullName } }')).users;
      let early: User | undefined;
      let late: User | undefined;
      const paged = await walk(
        staff,
        USERS,
        (d) => d.usersConnection,
        { role: 'STUDENT' },
        3,
        async (page) => {
          if (page !== 1) return;
          // sorts before every name on the first page, and after every Latin one
          early = await addPerson('early', '0 Early');
          late = await addPerson('late', 'Zz Late');
        },
      );
      const seen = ids(paged.nodes);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).not.toContain(early!.id); // inserted before the cursor: behind us
      expect(seen).toContain(late!.id); // after the cursor: read on a later page
      expect(seen.filter((id) => id !== late!.id)).toEqual(ids(before));
      expect(paged.totalCount).toBe(before.length + 2);
    });

    it('searches name and login in any case, Latin, Cyrillic and Kazakh letters alike', async () => {
      const find = async (search: string) =>
        (await server.ok(staff, USERS, { search })).usersConnection.nodes.map((n: { login: string }) => n.login);
      expect(await find('әлия')).toEqual(['aliya']);
      expect(await find('ӘЛИЯ НҰРЛАН')).toEqual(['aliya']);
      expect(await find('қасымов')).toEqual(['erzhan']);
      expect(await find('ҚАСЫМ')).toEqual(['erzhan']);
      expect(await find('ANNA s')).toEqual(['anna']);
      expect(await find('ERZH')).toEqual(['erzhan']);
      expect(await find('%')).toEqual([]); // a wildcard is a character like any other
      const all = (await server.ok(staff, USERS)).usersConnection.totalCount;
      expect((await server.ok(staff, USERS, { search: '  ' })).usersConnection.totalCount).toBe(all); // blank: no search
    });

    it('finds a person by the new name after upsertUsers renamed them', async () => {
      await server.ok(staff, 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id } }', {
        u: [{ login: 'anna', fullName: 'Анна Жұмабаева', role: 'STUDENT' }],
      });
      const find = async (search: string) =>
        (await server.ok(staff, USERS, { search })).usersConnection.nodes.map((n: { login: string }) => n.login);
      expect(await find('ЖҰМАБАЕВА')).toEqual(['anna']);
      expect(await find('smith')).toEqual([]);
    });

    it('filters by role and by logins (any case)', async () => {
      const teachers = (await server.ok(staff, USERS, { role: 'TEACHER' })).usersConnection;
      expect(teachers.nodes.map((n: { login: string }) => n.login).sort()).toEqual(['teacher', 'teacher2']);
      const named = (await server.ok(staff, USERS, { logins: ['S01', 'aliya', 'nobody'] })).usersConnection;
      expect(named.nodes.map((n: { login: string }) => n.login).sort()).toEqual(['aliya', 's01']);
      expect(named.totalCount).toBe(2);
    });

    it('refuses students, and a search longer than MAX_SEARCH_CHARS', async () => {
      expect(await server.code(student, USERS)).toBe('FORBIDDEN');
      expect(await server.code(null, USERS)).toBe('UNAUTHENTICATED');
      expect(await server.code(staff, USERS, { search: 'x'.repeat(21) })).toBe('BAD_USER_INPUT');
      expect(await server.code(staff, USERS, { search: 'ә'.repeat(20) })).toBeUndefined();
    });
  });

  describe('cursors and page sizes', () => {
    it('bounds first by MAX_PAGE_SIZE, which is also the default', async () => {
      expect(await server.code(staff, USERS, { first: 0 })).toBe('BAD_USER_INPUT');
      expect(await server.code(staff, USERS, { first: -1 })).toBe('BAD_USER_INPUT');
      const over = await server.gql(staff, USERS, { first: MAX_PAGE + 1 });
      expect(over.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(over.errors?.[0].message).toContain('MAX_PAGE_SIZE');
      const whole = await server.ok(staff, USERS, { first: MAX_PAGE });
      expect(whole.usersConnection.nodes.length).toBe(MAX_PAGE);
      const byDefault = await server.ok(staff, USERS);
      expect(byDefault.usersConnection.nodes.length).toBe(MAX_PAGE);
      expect(byDefault.usersConnection.pageInfo.hasNextPage).toBeTrue();
    });

    it('refuses a garbled, forged or foreign cursor as BAD_CURSOR, never a server error', async () => {
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const examCursor = (await server.ok(staff, EXAMS, { first: 1 })).examsConnection.pageInfo.endCursor;
      const userCursor = (await server.ok(staff, USERS, { first: 1 })).usersConnection.pageInfo.endCursor;
      for (const after of [
        'not a cursor!',
        '',
        'eyJ',
        forged({ a: 1 }),
        forged(['users', 'x']),
        forged(['users', 1, 2]),
        forged(['users', 'Anna', 'id', 'extra']),
        examCursor,
      ]) {
        const result = await server.gql(staff, USERS, { after });
        if (after === '') {
          expect(result.errors).toBeUndefined(); // an empty cursor is no cursor
          continue;
        }
        expect(result.errors?.[0].extensions?.code).withContext(after).toBe('BAD_CURSOR');
      }
      expect(await server.code(staff, EXAMS, { after: userCursor })).toBe('BAD_CURSOR');
      expect(await server.code(staff, EXAMS, { after: forged(['exams', 'not a time', 'id']) })).toBe('BAD_CURSOR');
    });
  });

  describe('examsConnection', () => {
    it('pages by start time like exams(periodId), filters by period, teacher, timing and start, and searches', async () => {
      const whole = (await server.ok(staff, 'query($p:ID!){ exams(periodId:$p){ id } }', { p: u.periodId })).exams;
      const paged = await walk(staff, EXAMS, (d) => d.examsConnection, { periodId: u.periodId }, 1);
      expect(ids(paged.nodes)).toEqual(ids(whole));
      expect(ids(paged.nodes)).toEqual([examId, otherExamId]);
      const of = async (variables: Record<string, unknown>) =>
        ids((await server.ok(staff, EXAMS, { periodId: u.periodId, ...variables })).examsConnection.nodes);
      expect(await of({ teacherId: u.otherTeacher.id })).toEqual([otherExamId]);
      expect(await of({ timing: 'RUNNING' })).toEqual([examId]);
      expect(await of({ timing: 'UPCOMING' })).toEqual([otherExamId]);
      expect(await of({ timing: 'ENDED' })).toEqual([]);
      expect(await of({ startsFrom: minutes(60) })).toEqual([otherExamId]);
      expect(await of({ startsBefore: minutes(60) })).toEqual([examId]);
      expect(await of({ periodId: u.otherPeriodId })).toEqual([kazakhExamId]);
      expect(await of({ periodId: null, academicYearId: u.yearId })).toEqual([examId, otherExamId, kazakhExamId]);
      expect(await of({ disciplineId: u.disciplineId })).toEqual([examId, otherExamId]);
      expect(await of({ search: 'DATAB' })).toEqual([examId, otherExamId]);
      expect(await of({ search: 'teacher2' })).toEqual([otherExamId]);
      expect(await of({ search: 'nothing like it' })).toEqual([]);
    });

    it('finds a discipline by its Kazakh title in any case', async () => {
      expect(ids((await server.ok(staff, EXAMS, { search: 'ҚАЗАҚ' })).examsConnection.nodes)).toEqual([kazakhExamId]);
      expect(ids((await server.ok(staff, EXAMS, { search: 'қазақ ті' })).examsConnection.nodes)).toEqual([
        kazakhExamId,
      ]);
    });

    it('shows a teacher their own exams only, and refuses students', async () => {
      const own = (await server.ok(teacher2, EXAMS, {})).examsConnection; // every period
      expect(ids(own.nodes)).toEqual([otherExamId]);
      expect(own.totalCount).toBe(1);
      expect(ids((await server.ok(teacher2, EXAMS, { teacherId: u.teacher.id })).examsConnection.nodes)).toEqual([]);
      expect(await server.code(student, EXAMS)).toBe('FORBIDDEN');
    });
  });

  describe('Exam.sittingsConnection', () => {
    it("pages an exam's sittings in the order of Exam.sittings, filtered by state and searched by student", async () => {
      const whole = (await server.ok(staff, 'query($e:ID!){ exam(id:$e){ sittings { id } } }', { e: examId })).exam
        .sittings;
      const paged = await walk(staff, SITTINGS, (d) => d.exam.sittingsConnection, { e: examId }, 2);
      expect(ids(paged.nodes)).toEqual(ids(whole));
      const logins = async (variables: Record<string, unknown>) =>
        (await server.ok(staff, SITTINGS, { e: examId, ...variables })).exam.sittingsConnection.nodes
          .map((n: any) => n.student.login)
          .sort();
      expect(await logins({ states: ['ENTERED'] })).toEqual(['aliya', 's02', 's03']);
      expect(await logins({ states: ['NOT_ENTERED'], search: 'test s0' })).toEqual(['s01', 's04', 's05', 's06']);
      expect(await logins({ search: 'НҰРЛАН' })).toEqual(['aliya']);
      expect(await logins({ states: ['SENT', 'GRADED'] })).toEqual([]);
    });

    it('is refused to another teacher and to students', async () => {
      const refused = await server.gql(teacher2, SITTINGS, { e: examId });
      expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const asStudent = await server.gql(student, SITTINGS, { e: examId });
      expect(asStudent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('journalConnection', () => {
    it('pages the rows of journal in the same order, searched by student, narrowed to an exam', async () => {
      const whole = (
        await server.ok(staff, 'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ sittingId } }', {
          d: u.disciplineId,
          p: u.periodId,
        })
      ).journal.map((r: { sittingId: string }) => r.sittingId);
      const vars = { d: u.disciplineId, p: u.periodId };
      const paged = await walk(staff, JOURNAL, (d) => d.journalConnection, vars, 4);
      expect(paged.nodes.map((r) => r.sittingId)).toEqual(whole);
      expect(paged.totalCount).toBe(whole.length);
      const aliya = (await server.ok(staff, JOURNAL, { ...vars, search: 'әлия' })).journalConnection.nodes;
      expect(aliya.map((r: any) => r.student.login)).toEqual(['aliya']); // enrolled at the first exam only
      const one = (await server.ok(staff, JOURNAL, { ...vars, examId: otherExamId })).journalConnection;
      expect(one.totalCount).toBe(2);
      expect(one.nodes.every((r: any) => r.exam.id === otherExamId)).toBeTrue();
    });

    it('shows a teacher the rows of their own exams only, and refuses students', async () => {
      const vars = { d: u.disciplineId, p: u.periodId };
      const own = (await server.ok(teacher2, JOURNAL, vars)).journalConnection;
      expect(own.totalCount).toBe(2);
      expect(own.nodes.every((r: any) => r.exam.id === otherExamId)).toBeTrue();
      expect(await server.code(student, JOURNAL, vars)).toBe('FORBIDDEN');
    });
  });

  describe('auditTrailConnection', () => {
    it("pages an exam's trail oldest first with no repeats when entries are added between pages", async () => {
      let added = false;
      const paged = await walk(
        staff,
        TRAIL,
        (d) => d.auditTrailConnection,
        { e: examId },
        2,
        async () => {
          if (added) return;
          added = true;
          await server.ok(await server.login('s04'), 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId });
        },
      );
      const seen = ids(paged.nodes);
      expect(new Set(seen).size).toBe(seen.length);
      const times = paged.nodes.map((n) => n.at);
      expect([...times].sort()).toEqual(times);
      // the entry made after the first page is later than it, so it is read at the end
      expect(paged.nodes.at(-1).student.login).toBe('s04');
      expect(
        paged.nodes
          .filter((n) => n.kind === 'ENTERED')
          .map((n) => n.student.login)
          .sort(),
      ).toEqual(['aliya', 's02', 's03', 's04']);
    });

    it('filters by sitting, kind and time, and searches by student', async () => {
      const all = (await server.ok(staff, TRAIL, { e: examId })).auditTrailConnection.nodes;
      const aliya = all.find((n: any) => n.student.login === 'aliya');
      const ofOne = (await server.ok(staff, TRAIL, { e: examId, s: aliya.sittingId })).auditTrailConnection.nodes;
      expect(ofOne.every((n: any) => n.sittingId === aliya.sittingId)).toBeTrue();
      expect((await server.ok(staff, TRAIL, { e: examId, kinds: ['GRADED'] })).auditTrailConnection.totalCount).toBe(0);
      const entered = (await server.ok(staff, TRAIL, { e: examId, kinds: ['ENTERED'] })).auditTrailConnection;
      expect(entered.nodes.every((n: any) => n.kind === 'ENTERED')).toBeTrue();
      const at = new Date(aliya.at).getTime();
      const window = await server.ok(staff, TRAIL, {
        e: examId,
        from: new Date(at).toISOString(),
        to: new Date(at + 1).toISOString(),
      });
      expect(ids(window.auditTrailConnection.nodes)).toContain(aliya.id);
      expect(window.auditTrailConnection.nodes.every((n: any) => n.at === aliya.at)).toBeTrue();
      const searched = (await server.ok(staff, TRAIL, { e: examId, search: 'ӘЛИЯ' })).auditTrailConnection.nodes;
      expect(searched.length).toBeGreaterThan(0);
      expect(searched.every((n: any) => n.student.login === 'aliya')).toBeTrue();
      expect(await server.code(staff, TRAIL, { e: examId, from: minutes(1), to: minutes(0) })).toBe('BAD_USER_INPUT');
    });

    it('is refused to another teacher, students and anyone without a session', async () => {
      expect(await server.code(teacher2, TRAIL, { e: examId })).toBe('NOT_FOUND');
      expect(await server.code(teacher, TRAIL, { e: examId })).toBeUndefined();
      expect(await server.code(student, TRAIL, { e: examId })).toBe('FORBIDDEN');
      expect(await server.code(null, TRAIL, { e: examId })).toBe('UNAUTHENTICATED');
    });
  });

  describe('blind marking', () => {
    let blindExamId: string;
    const studentLogins = new Set([
      's01',
      's02',
      's03',
      's04',
      's05',
      's06',
      'aliya',
      'erzhan',
      'anna',
      'early',
      'late',
    ]);

    beforeAll(async () => {
      blindExamId = await createExam(server, staff, u, {
        blindMarking: true,
        studentIds: u.students.slice(0, 4).map((s) => s.id),
      });
      await server.ok(await server.login('s02'), 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: blindExamId });
    });

    it("shows the exam's teacher codes, not students, in an order that says nothing of names, and no search", async () => {
      const asTeacher = await walk(teacher, SITTINGS, (d) => d.exam.sittingsConnection, { e: blindExamId }, 3);
      expect(asTeacher.nodes.length).toBe(4);
      expect(asTeacher.nodes.some((n) => studentLogins.has(n.student.login))).toBeFalse();
      expect(ids(asTeacher.nodes)).toEqual([...ids(asTeacher.nodes)].sort()); // by id
      const refused = await server.gql(teacher, SITTINGS, { e: blindExamId, search: 'Test' });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      // staff see who is who, by name, and may search
      const asStaff = (await server.ok(staff, SITTINGS, { e: blindExamId, search: 's02' })).exam.sittingsConnection;
      expect(asStaff.nodes.map((n: any) => n.student.login)).toEqual(['s02']);
    });

    it("leaves the blind exam out of the teacher's journal pages as out of journal, counts included", async () => {
      const vars = { d: u.disciplineId, p: u.periodId };
      const whole = (
        await server.ok(
          teacher,
          'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ sittingId exam { id } } }',
          vars,
        )
      ).journal;
      const paged = await walk(teacher, JOURNAL, (d) => d.journalConnection, vars, 2);
      expect(paged.nodes.map((r) => r.sittingId)).toEqual(whole.map((r: { sittingId: string }) => r.sittingId));
      expect(paged.totalCount).toBe(whole.length);
      expect(paged.nodes.some((r) => r.exam.id === blindExamId)).toBeFalse();
      const staffRows = (await server.ok(staff, JOURNAL, { ...vars, examId: blindExamId })).journalConnection;
      expect(staffRows.totalCount).toBe(4);
    });

    it("names the stand-in in the teacher's trail and refuses a search by student", async () => {
      const trail = (await server.ok(teacher, TRAIL, { e: blindExamId })).auditTrailConnection.nodes;
      expect(trail.length).toBeGreaterThan(0);
      expect(trail.some((n: any) => studentLogins.has(n.student.login))).toBeFalse();
      expect(await server.code(teacher, TRAIL, { e: blindExamId, search: 's02' })).toBe('FORBIDDEN');
      const asStaff = (await server.ok(staff, TRAIL, { e: blindExamId })).auditTrailConnection.nodes;
      expect(asStaff.map((n: any) => n.student.login)).toContain('s02');
    });
  });

  describe('statements', () => {
    /** the statements one page costs */
    async function cost(query: string, variables: Record<string, unknown>): Promise<number> {
      return (await statementsOf(server.app.orm, () => server.ok(staff, query, variables))).length;
    }

    it('a page costs the same statements whatever its size', async () => {
      const cases: [string, Record<string, unknown>][] = [
        [USERS, { role: 'STUDENT' }],
        [EXAMS, {}],
        [SITTINGS, { e: examId }],
        [JOURNAL, { d: u.disciplineId, p: u.periodId }],
        [TRAIL, { e: examId }],
      ];
      for (const [query, variables] of cases) {
        const one = await cost(query, { ...variables, first: 1 });
        const many = await cost(query, { ...variables, first: MAX_PAGE });
        expect(many).withContext(query.slice(0, 40)).toBe(one);
        expect(one).withContext(query.slice(0, 40)).toBeLessThanOrEqual(9);
      }
    });
  });

  it('gives the people and disciplines already in a database their search keys when it migrates', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-fold-'));
    const orm = await MikroORM.init(ormOptions({ dataDir, databasePoolMax: 1, databaseStatementTimeoutMs: 0 }));
    try {
      const migrator = orm.getMigrator();
      await migrator.up({ to: 'Migration20261203000926' }); // the one before the search keys
      const sql = orm.em.getConnection();
      await sql.execute(
        `insert into users (id, created_at, updated_at, login, full_name, role) values ('u1', 0, 0, 'aliya', 'ӘЛИЯ Нұрланқызы', 'STUDENT')`,
      );
      await sql.execute(
        `insert into disciplines (id, created_at, updated_at, code, title) values ('d1', 0, 0, 'QAZ-2', 'Қазақ ӘДЕБИЕТІ')`,
      );
      await migrator.up();
      expect(await sql.execute('select search_key from users')).toEqual([{ search_key: 'әлия нұрланқызы\naliya' }]);
      expect(await sql.execute('select search_key from disciplines')).toEqual([
        { search_key: 'қазақ әдебиеті\nqaz-2' },
      ]);
    } finally {
      await orm.close(true);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
