import { Client as PgClient } from 'pg';
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
import { GradeChange } from '../grades/grade-change.entity';
import { Sitting } from '../sittings/sitting.entity';

const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const GRADE = 'mutation($s:ID!,$score:Int!){ gradeSitting(sittingId:$s, score:$score){ id } }';
const CORRECT = 'mutation($s:ID!,$score:Int!,$r:String!){ correctGrade(sittingId:$s, score:$score, reason:$r){ id } }';
const PUBLISH = 'mutation($e:ID!){ publishResults(examId:$e){ id } }';
const FILE = 'mutation($s:ID!,$t:String!){ fileAppeal(sittingId:$s, text:$t){ id } }';
const COMMISSION = 'mutation($a:ID!,$t:[ID!]!){ setAppealCommission(appealId:$a, teacherIds:$t){ id } }';
const DECIDE =
  'mutation($a:ID!,$d:AppealDecision!,$r:String!,$s:Int){ decideAppeal(appealId:$a, decision:$d, reason:$r, score:$s){ id } }';
const ROOM = 'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }';
const FEED = `query($after:String,$first:Int){ gradeChanges(after:$after, first:$first){
  endCursor hasMore
  events { cursor kind at sittingId exam { id } student { id login } score letter gpa previousScore reason appealId }
} }`;
const CREATE_CLIENT = 'mutation($input: ApiClientInput!){ createApiClient(input:$input){ token } }';

interface FeedEvent {
  cursor: string;
  kind: string;
  sittingId: string;
  exam: { id: string };
  student: { id: string; login: string };
  score: number;
  letter: string;
  gpa: number;
  previousScore: number | null;
  reason: string | null;
  appealId: string | null;
}

/** every event after `after`, page by page */
async function readAll(server: TestServer, token: string, after: string | null = null, first = 50) {
  const events: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const { gradeChanges } = await server.ok(token, FEED, { after: cursor, first });
    events.push(...gradeChanges.events);
    cursor = gradeChanges.endCursor;
    if (!gradeChanges.hasMore) return { events, cursor: cursor! };
  }
}

/** issue 13: the grade feed — published grades and their changes in commit order, never a draft. */
describe('grade feed', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let member: string;
  let s: string[];

  /** an exam (of every student) the students answered; its sittings by login */
  async function answeredExam(resultsRelease: 'AT_ONCE' | 'ON_PUBLICATION') {
    const input = { format: 'TASK', ticketAssignment: null, taskText: 'Explain isolation.', resultsRelease };
    const examId = await createExam(server, staff, u, input);
    await Promise.all(s.map((token, i) => server.ok(token, SUBMIT, { e: examId, t: `Answer ${i} about isolation` })));
    const room = await server.ok(teacher, ROOM, { e: examId });
    const sittingOf: Record<string, string> = Object.fromEntries(
      room.exam.sittings.map((x: { id: string; student: { login: string } }) => [x.student.login, x.id]),
    );
    const end = async () =>
      updateExam(server, staff, u, examId, { ...input, startsAt: minutes(-120), endsAt: minutes(-60) });
    return { examId, sittingOf, sittings: u.students.map((st) => sittingOf[st.login]), end };
  }

  const countChanges = () => server.app.orm.em.fork().count(GradeChange, {});

  beforeAll(async () => {
    server = await startTestServer({ sendGraceMs: 0, gradeFeedPageMax: 50 });
    u = await seedUniversity(server, 10);
    [staff, teacher, member] = await Promise.all(['staff', 'teacher', 'teacher2'].map((l) => server.login(l)));
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterAll(async () => server.stop());

  it('answers nothing before any grade is published, with a cursor to go on from', async () => {
    const { gradeChanges } = await server.ok(staff, FEED, {});
    expect(gradeChanges.events).toEqual([]);
    expect(gradeChanges.hasMore).toBeFalse();
    expect(gradeChanges.endCursor).toEqual(jasmine.any(String));
  });

  it('never shows a draft; shows each grade when its results are published, with the journal values', async () => {
    const start = (await readAll(server, staff)).cursor;
    const exam = await answeredExam('ON_PUBLICATION');
    await exam.end();
    await server.ok(teacher, GRADE, { s: exam.sittings[0], score: 96 });
    await server.ok(teacher, GRADE, { s: exam.sittings[1], score: 40 });
    expect((await readAll(server, staff, start)).events).toEqual([]);
    for (const sitting of exam.sittings.slice(2)) await server.ok(teacher, GRADE, { s: sitting, score: 70 });
    expect((await readAll(server, staff, start)).events).toEqual([]);
    await server.ok(teacher, PUBLISH, { e: exam.examId });
    const { events } = await readAll(server, staff, start);
    expect(events.length).toBe(u.students.length);
    const first = events.find((e) => e.sittingId === exam.sittings[0])!;
    expect(first).toEqual(
      jasmine.objectContaining({
        kind: 'PUBLISHED',
        exam: { id: exam.examId },
        student: { id: u.students[0].id, login: u.students[0].login },
        score: 96,
        letter: 'A',
        gpa: 4,
        previousScore: null,
        reason: null,
        appealId: null,
      }),
    );
    const journal = await server.ok(
      staff,
      'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ sittingId grade { score letter gpa } } }',
      { d: u.disciplineId, p: u.periodId },
    );
    for (const e of events) {
      const row = journal.journal.find((r: { sittingId: string }) => r.sittingId === e.sittingId);
      expect({ score: e.score, letter: e.letter, gpa: e.gpa }).toEqual(row.grade);
    }
  });

  it('keeps its cursors: the same cursor answers the same events, and a later page goes on where one ended', async () => {
    const all = (await readAll(server, staff, null, 50)).events;
    expect(all.length).toBeGreaterThanOrEqual(4);
    const firstTwo = await server.ok(staff, FEED, { first: 2 });
    expect(firstTwo.gradeChanges.hasMore).toBeTrue();
    expect(firstTwo.gradeChanges.events.map((e: FeedEvent) => e.cursor)).toEqual(all.slice(0, 2).map((e) => e.cursor));
    const again = await server.ok(staff, FEED, { after: firstTwo.gradeChanges.endCursor, first: 2 });
    const twice = await server.ok(staff, FEED, { after: firstTwo.gradeChanges.endCursor, first: 2 });
    expect(again).toEqual(twice);
    expect(again.gradeChanges.events.map((e: FeedEvent) => e.cursor)).toEqual(all.slice(2, 4).map((e) => e.cursor));
    // an event's own cursor works as `after` too
    const fromEvent = await server.ok(staff, FEED, { after: all[2].cursor, first: 1 });
    expect(fromEvent.gradeChanges.events[0].cursor).toBe(all[3].cursor);
    // at the end: no events, the same cursor back
    const end = await server.ok(staff, FEED, { after: all[all.length - 1].cursor });
    expect(end.gradeChanges).toEqual({ events: [], hasMore: false, endCursor: all[all.length - 1].cursor });
  });

  it('refuses a cursor it did not give and a page beyond GRADE_FEED_PAGE_MAX', async () => {
    expect(await server.code(staff, FEED, { after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, FEED, { after: Buffer.from('gc1:-4').toString('base64url') })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await server.code(staff, FEED, { first: 51 })).toBe('BAD_USER_INPUT');
    expect(await server.code(staff, FEED, { first: 0 })).toBe('BAD_USER_INPUT');
  });

  it('is for staff and API clients holding grades:read', async () => {
    const reader = (await server.ok(staff, CREATE_CLIENT, { input: { name: 'ERP', scopes: ['GRADES_READ'] } }))
      .createApiClient.token;
    const other = (await server.ok(staff, CREATE_CLIENT, { input: { name: 'SIS', scopes: ['USERS_READ'] } }))
      .createApiClient.token;
    const viaClient = (await readAll(server, reader)).events;
    expect(viaClient).toEqual((await readAll(server, staff)).events);
    const refused = await server.gql(other, FEED, {});
    expect(refused.errors?.[0].extensions).toEqual(
      jasmine.objectContaining({ code: 'FORBIDDEN', missingScope: 'grades:read' }),
    );
    expect(await server.code(teacher, FEED, {})).toBe('FORBIDDEN');
    expect(await server.code(s[0], FEED, {})).toBe('FORBIDDEN');
    expect(await server.code(null, FEED, {})).toBe('UNAUTHENTICATED');
  });

  it('under concurrent grading, corrections, appeal decisions and publications a reader sees every event once, in order', async () => {
    const start = (await readAll(server, staff)).cursor;
    const before = await countChanges();
    const atOnce = await answeredExam('AT_ONCE');
    // half graded (published at once) and four of those appealed, with a commission, before the race
    const half = atOnce.sittings.slice(0, 5);
    for (const sitting of half) await server.ok(teacher, GRADE, { s: sitting, score: 50 });
    const appeals: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { fileAppeal } = await server.ok(s[i], FILE, { s: half[i], t: 'I disagree with the grade, please' });
      await server.ok(staff, COMMISSION, { a: fileAppeal.id, t: [u.otherTeacher.id] });
      appeals.push(fileAppeal.id);
    }
    const later = await answeredExam('ON_PUBLICATION');
    const another = await answeredExam('ON_PUBLICATION');
    await later.end();
    await another.end();
    for (const sitting of [...later.sittings, ...another.sittings])
      await server.ok(teacher, GRADE, { s: sitting, score: 66 });
    const setUp = await countChanges();

    let writing = true;
    const seen: FeedEvent[] = [];
    let cursor = start;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        const { gradeChanges } = await server.ok(staff, FEED, { after: cursor, first: 7 });
        seen.push(...gradeChanges.events);
        cursor = gradeChanges.endCursor;
        if (done && !gradeChanges.hasMore) return;
        if (!gradeChanges.hasMore) await sleep(2);
      }
    })();
    const writes: Promise<unknown>[] = [
      ...atOnce.sittings.slice(5).map((sitting, i) => server.ok(teacher, GRADE, { s: sitting, score: 60 + i })),
      ...half.flatMap((sitting, i) => [
        server.ok(staff, CORRECT, { s: sitting, score: 71 + i, r: 'Recounted the second part' }),
      ]),
      ...appeals.map((a, i) =>
        server.ok(member, DECIDE, { a, d: i % 2 ? 'KEPT' : 'CHANGED', r: 'The commission decided', s: 80 + i }),
      ),
      server.ok(teacher, PUBLISH, { e: later.examId }),
      server.ok(staff, PUBLISH, { e: another.examId }),
      ...half.map((sitting, i) => server.ok(staff, CORRECT, { s: sitting, score: 20 + i, r: 'Second recount' })),
    ];
    const results = await Promise.allSettled(writes);
    writing = false;
    await reader;
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);

    const total = await countChanges();
    // 5 grades + 5 + 5 corrections + 2 CHANGED decisions (a KEPT one changes no grade) + 2 × 10 publications
    expect(total - setUp).toBe(5 + 10 + 2 + 20);
    const cursors = seen.map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(seen.length).toBe(total - before);
    // in order: what one reader saw page by page is what a reader from the same start sees at once
    expect(cursors).toEqual((await readAll(server, staff, start, 50)).events.map((e) => e.cursor));
    // commit order: the last event of each sitting is the sitting's grade now, whichever of the racing changes won
    const last = new Map(seen.map((e) => [e.sittingId, e.score]));
    const now = await server.app.orm.em.fork().find(Sitting, { id: { $in: [...last.keys()] } });
    expect(now.length).toBe(last.size);
    for (const sitting of now) expect(last.get(sitting.id)).withContext(sitting.id).toBe(sitting.score!);
    const decided = seen.filter((e) => e.kind === 'APPEAL_DECIDED');
    expect(decided.map((e) => e.appealId).sort()).toEqual(appeals.filter((_, i) => i % 2 === 0).sort());
    expect(decided.every((e) => e.reason === 'The commission decided')).toBeTrue();
  });

  it('PostgreSQL: a grade committed after a later-started one takes the later position (a reader never skips it)', async () => {
    const databaseUrl = server.app.services.config.databaseUrl;
    if (!databaseUrl) {
      // SQLite: one writer takes the numbers and commits, so seq is commit order; shown by the concurrent spec above
      expect(server.app.orm.em.getDriver().constructor.name).toBe('BetterSqliteDriver');
      return;
    }
    const { cursor } = await readAll(server, staff);
    const exam = await answeredExam('AT_ONCE');
    const [a, b] = exam.sittings;
    const first = new PgClient({ connectionString: databaseUrl });
    const second = new PgClient({ connectionString: databaseUrl });
    await first.connect();
    await second.connect();
    const insert = (sitting: string, score: number) =>
      `insert into grade_changes (sitting_id, kind, score, letter, gpa, at) values ('${sitting}', 'PUBLISHED', ${score}, 'B', 3, now())`;
    try {
      await first.query('begin');
      await second.query('begin');
      await first.query(insert(a, 81)); // takes its position first …
      let secondInserted = false;
      const secondInsert = second.query(insert(b, 82)).then(() => (secondInserted = true));
      await sleep(300);
      expect(secondInserted).toBeFalse(); // … and the next one waits for its commit
      expect((await readAll(server, staff, cursor)).events).toEqual([]);
      await first.query('commit');
      await secondInsert;
      const afterFirst = await readAll(server, staff, cursor);
      expect(afterFirst.events.map((e) => e.score)).toEqual([81]);
      await second.query('commit');
      const afterBoth = await readAll(server, staff, afterFirst.cursor);
      expect(afterBoth.events.map((e) => e.score)).toEqual([82]);
    } finally {
      await first.end();
      await second.end();
    }
  });
});
