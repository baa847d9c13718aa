import { boardExam, crowdedExam, type Crowd } from '../../testing/crowd';
import { startTestServer, type TestServer } from '../../testing/harness';
import { statementsOf } from '../../testing/statements';
import { SittingEvent, SittingEventKind } from '../audit/sitting-event.entity';

/** what the staff's live room asks of a released sitting (a subset of RoomSitting) */
const RELEASED = 'id questionsReleasedAt ticketNumber student { id fullName }';

interface Released {
  id: string;
  questionsReleasedAt: string | null;
  ticketNumber: number | null;
  student: { id: string; fullName: string };
}

/**
 * R5.3: a release is one set-based write (conditional UPDATEs and multi-row trail INSERTs in one transaction) answered
 * with plain sittings: its statements do not grow with the crowd, a sitting released already keeps its time, and a
 * refused list writes nothing.
 */
describe('releasing the questions', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  const release = (crowd: Crowd, studentIds?: string[]) =>
    server.ok(crowd.staff, `mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s){ ${RELEASED} } }`, {
      e: crowd.examId,
      s: studentIds ?? null,
    }) as Promise<{ releaseQuestions: Released[] }>;

  const trailRows = (examId: string) =>
    server.app.orm.em
      .fork()
      .count(SittingEvent, { kind: SittingEventKind.QUESTIONS_RELEASED, sitting: { exam: examId } });

  /** the statements of a release to everyone of a crowd of `count` (no one subscribed) */
  async function releaseStatements(count: number): Promise<string[]> {
    const crowd = await crowdedExam(server, count);
    let answer: Released[] = [];
    const statements = await statementsOf(server.app.orm, async () => {
      answer = (await release(crowd)).releaseQuestions;
    });
    expect(answer.length).toBe(count);
    expect(await trailRows(crowd.examId)).toBe(count);
    return statements;
  }

  it('writes and answers a release to 30 students with the statements of one to 3', async () => {
    const few = await releaseStatements(3);
    await server.stop();
    server = await startTestServer();
    const many = await releaseStatements(30);
    expect(many.length)
      .withContext(`3 students: ${few.join('; ')}\n30 students: ${many.join('; ')}`)
      .toBe(few.length);
  }, 120_000);

  it('releases the listed students, then everyone else; the first keep their time, each sitting gets one trail row', async () => {
    const crowd = await crowdedExam(server, 6);
    const first = crowd.students.slice(0, 2).map((s) => s.id);
    const listed = (await release(crowd, first)).releaseQuestions;
    expect(listed.map((s) => s.student.id).sort()).toEqual([...first].sort());
    expect(listed.every((s) => s.questionsReleasedAt !== null && s.ticketNumber !== null)).toBeTrue();
    const firstTime = new Map(listed.map((s) => [s.id, s.questionsReleasedAt]));
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later release has a later time

    const all = (await release(crowd)).releaseQuestions;
    expect(all.length).toBe(6);
    const names = all.map((s) => s.student.fullName);
    expect(names)
      .withContext('in the students’ name order')
      .toEqual([...names].sort());
    for (const sitting of all) {
      expect(sitting.questionsReleasedAt).not.toBeNull();
      if (firstTime.has(sitting.id)) expect(sitting.questionsReleasedAt).toBe(firstTime.get(sitting.id)!);
      else expect(sitting.questionsReleasedAt).not.toBe(listed[0].questionsReleasedAt);
    }
    // released again: nothing changes, nothing is written
    const again = (await release(crowd)).releaseQuestions;
    expect(again.map((s) => [s.id, s.questionsReleasedAt])).toEqual(all.map((s) => [s.id, s.questionsReleasedAt]));
    expect(await trailRows(crowd.examId)).toBe(6);
    // each row names its sitting, the staff member and the sitting's own release time, with no detail
    const trail = await server.app.orm.em
      .fork()
      .find(
        SittingEvent,
        { kind: SittingEventKind.QUESTIONS_RELEASED, sitting: { exam: crowd.examId } },
        { populate: ['actor'] },
      );
    expect(new Set(trail.map((row) => row.id)).size).toBe(6);
    expect(trail.map((row) => row.sitting.id).sort()).toEqual(all.map((s) => s.id).sort());
    const releasedAt = new Map(all.map((s) => [s.id, s.questionsReleasedAt]));
    for (const row of trail) {
      expect(row.actor?.id).toBe(crowd.university.staff.id);
      expect(row.at.toISOString()).toBe(releasedAt.get(row.sitting.id)!);
      expect(row.detail ?? null).toBeNull();
    }
  }, 60_000);

  it('refuses a list naming someone not enrolled (NOT_FOUND) or without a ticket (BAD_USER_INPUT), writing nothing', async () => {
    const crowd = await crowdedExam(server, 3);
    const board = await boardExam(server, crowd, 3); // the same students, none holding a ticket
    const query = 'mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s){ id } }';
    const staffId = crowd.university.staff.id;
    expect(await server.code(crowd.staff, query, { e: crowd.examId, s: [crowd.students[0].id, staffId] })).toBe(
      'NOT_FOUND',
    );
    const refused = await server.gql(crowd.staff, query, { e: board.examId, s: [crowd.students[1].id] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toContain(`Test ${crowd.students[1].login}`);
    expect(await trailRows(crowd.examId)).toBe(0);
    expect(await trailRows(board.examId)).toBe(0);
    const page = await server.ok(crowd.staff, 'query($e:ID!){ exam(id:$e){ sittings { questionsReleasedAt } } }', {
      e: crowd.examId,
    });
    expect(
      page.exam.sittings.every((s: { questionsReleasedAt: unknown }) => s.questionsReleasedAt === null),
    ).toBeTrue();
  }, 60_000);
});
