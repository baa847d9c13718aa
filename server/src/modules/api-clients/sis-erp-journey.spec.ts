import { seedUniversity, startTestServer, type TestServer } from '../../testing/harness';

/**
 * Issue 13's "done when", end to end through the API with tokens only: a student information system loads people,
 * the calendar and a whole examination period's schedule; a teacher grades and publishes; an ERP follows every grade
 * through the feed. No person's password is used by either system.
 */
const CREATE_CLIENT = 'mutation($i:ApiClientInput!){ createApiClient(input:$i){ token } }';
const UPSERT_USERS = 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id login externalId } }';
const UPSERT_YEARS = `mutation($y:[AcademicYearInput!]!){ upsertAcademicYears(years:$y){
  id title periods { id number externalId } } }`;
const UPSERT_DISCIPLINES = 'mutation($d:[DisciplineInput!]!){ upsertDisciplines(disciplines:$d){ id code } }';
const IMPORT = `mutation($r:[ScheduleRowInput!]!,$dry:Boolean!){ importSchedule(rows:$r, dryRun:$dry){
  dryRun created updated unchanged rows { row outcome examId } problems { row column code } } }`;
const EXAM = 'query($e:ID!){ exam(id:$e){ id externalId sittings { id student { login } } } }';
const GRADE = 'mutation($s:ID!,$score:Int!){ gradeSitting(sittingId:$s, score:$score){ id } }';
const PUBLISH = 'mutation($e:ID!){ publishResults(examId:$e){ id resultsPublishedAt } }';
const CORRECT = 'mutation($s:ID!,$score:Int!,$r:String!){ correctGrade(sittingId:$s, score:$score, reason:$r){ id } }';
const FEED = `query($after:String,$first:Int){ gradeChanges(after:$after, first:$first){
  endCursor hasMore events { kind score previousScore exam { externalId } student { login externalId } } } }`;

describe('a SIS and an ERP with API clients only (issue 13)', () => {
  let server: TestServer;
  let sis: string;
  let erp: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedUniversity(server, 0);
    const staff = await server.login('staff');
    const client = async (name: string, scopes: string[]) =>
      (await server.ok(staff, CREATE_CLIENT, { i: { name, scopes } })).createApiClient.token as string;
    sis = await client('SIS', ['USERS_READ', 'USERS_WRITE', 'CALENDAR_WRITE', 'EXAMS_WRITE', 'EXAMS_READ']);
    erp = await client('ERP', ['GRADES_READ', 'USERS_READ', 'EXAMS_READ']);
  });
  afterAll(async () => server.stop());

  /** every event after `after`, page by page, as an ERP would read them */
  async function follow(after: string | null): Promise<{ events: any[]; cursor: string | null }> {
    const events: any[] = [];
    let cursor = after;
    for (;;) {
      const page = (await server.ok(erp, FEED, { after: cursor, first: 2 })).gradeChanges;
      events.push(...page.events);
      cursor = page.endCursor ?? cursor;
      if (!page.hasMore) return { events, cursor };
    }
  }

  it('loads people, calendar and schedule idempotently, then follows every published and corrected grade', async () => {
    // the SIS: people, the calendar, then the period's schedule (the exam already over, so it can be graded)
    const people = [
      { login: 'prof.sis', fullName: 'Профессор Сейітқали', role: 'TEACHER', externalId: 'T-1', password: 'teach' },
      { login: 'st.one', fullName: 'Айгерім Бекова', role: 'STUDENT', externalId: 'S-1' },
      { login: 'st.two', fullName: 'Нұрлан Омаров', role: 'STUDENT', externalId: 'S-2' },
    ];
    await server.ok(sis, UPSERT_USERS, { u: people });
    const year = {
      title: '2025-2026',
      startsOn: '2025-09-01',
      endsOn: '2026-06-30',
      externalId: 'Y-2025',
      periods: [{ number: 1, title: 'Күзгі семестр', startsOn: '2025-09-01', endsOn: '2025-12-31', externalId: 'P-1' }],
    };
    await server.ok(sis, UPSERT_YEARS, { y: [year] });
    await server.ok(sis, UPSERT_DISCIPLINES, { d: [{ code: 'SIS-100', title: 'Деректер', externalId: 'D-1' }] });
    const rows = [
      {
        discipline: 'D-1',
        teacher: 'T-1',
        period: 'P-1',
        date: '2025-11-20',
        start: '09:00',
        end: '11:00',
        format: 'TASK',
        students: ['S-1', 'st.two'],
        externalId: 'EXAM-1',
      },
    ];
    const dry = (await server.ok(sis, IMPORT, { r: rows, dry: true })).importSchedule;
    expect([dry.dryRun, dry.created, dry.problems]).toEqual([true, 1, []]);
    const done = (await server.ok(sis, IMPORT, { r: rows, dry: false })).importSchedule;
    expect([done.dryRun, done.created, done.updated, done.unchanged]).toEqual([false, 1, 0, 0]);
    // the same data again changes nothing
    await server.ok(sis, UPSERT_USERS, { u: people });
    await server.ok(sis, UPSERT_YEARS, { y: [year] });
    const again = (await server.ok(sis, IMPORT, { r: rows, dry: false })).importSchedule;
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 0, 1]);

    // nothing is in the feed while grades are drafts
    const start = await follow(null);
    expect(start.events).toEqual([]);

    // the teacher (a person) grades and publishes
    const examId = done.rows[0].examId as string;
    const teacher = await server.login('prof.sis', 'teach');
    const exam = (await server.ok(sis, EXAM, { e: examId })).exam;
    expect(exam.externalId).toBe('EXAM-1');
    const sittingOf = (login: string) => exam.sittings.find((s: any) => s.student.login === login).id as string;
    await server.ok(teacher, GRADE, { s: sittingOf('st.one'), score: 91 });
    await server.ok(teacher, GRADE, { s: sittingOf('st.two'), score: 45 });
    expect((await follow(start.cursor)).events).toEqual([]);
    await server.ok(teacher, PUBLISH, { e: examId });

    // the ERP sees both grades, with the SIS's keys, and then only what changes
    const published = await follow(start.cursor);
    const seen = (e: any) => [e.kind, e.student.externalId, e.exam.externalId, e.score, e.previousScore];
    expect(published.events.map(seen).sort()).toEqual([
      ['PUBLISHED', 'S-1', 'EXAM-1', 91, null],
      ['PUBLISHED', 'S-2', 'EXAM-1', 45, null],
    ]);
    const staff = await server.login('staff');
    await server.ok(staff, CORRECT, { s: sittingOf('st.two'), score: 52, r: 'Recounted' });
    const corrected = await follow(published.cursor);
    expect(corrected.events.map(seen)).toEqual([['CORRECTED', 'S-2', 'EXAM-1', 52, 45]]);
    expect((await follow(corrected.cursor)).events).toEqual([]);
  });

  it('refuses each system what its scopes do not open', async () => {
    expect(await server.code(erp, IMPORT, { r: [], dry: true })).toBe('FORBIDDEN');
    expect(await server.code(sis, FEED, {})).toBe('FORBIDDEN');
    expect(await server.code(sis, PUBLISH, { e: 'x' })).toBe('FORBIDDEN');
  });
});
