import type { Client as WsClient } from 'graphql-ws';
import { clientOperation } from '../../testing/client-operations';
import {
  addTickets,
  createExam,
  minutes,
  nextPushes,
  seedUniversity,
  startTestServer,
  type TestServer,
  type University,
  updateExam,
} from '../../testing/harness';

/**
 * A release's pushes are built from one read of the released sittings and run their fields without a promise where the
 * read has them: what each subscriber receives must still be only their own sitting, as their own rights show it.
 */
describe('a release pushed to many subscribers at once', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[];
  const clients: WsClient[] = [];
  const ws = (token: string) => {
    const client = server.ws(token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    [staff, ...s] = await Promise.all([server.login('staff'), ...u.students.map((x) => server.login(x.login))]);
  }, 30_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await server.stop();
  });

  it("gives each student, on the page's own operation, their own sitting and ticket; staff see no student's draft", async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const tickets = await addTickets(server, staff, examId, 3);
    // tickets given out of order, so a number taken from a neighbour's sitting would show
    const numberOf = [3, 1, 2];
    for (let i = 0; i < 3; i++)
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: u.students[i].id, t: tickets[numberOf[i] - 1] },
      );
    const room = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }', {
      e: examId,
    });
    const sittingOf = (i: number) =>
      room.exam.sittings.find((x: { student: { login: string } }) => x.student.login === u.students[i].login)
        .id as string;

    // 1. one release to all three, every student on the same operation text, as thousands of pages would be
    const released = s.map((token) => nextPushes(ws(token), clientOperation('QuestionsReleased'), { examId }));
    await Promise.all(released.map((x) => x.started));
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    const releases = await Promise.all(released.map((x) => x.done));
    for (let i = 0; i < 3; i++) {
      const push = releases[i][0].questionsReleased;
      expect(push.id).withContext(`student ${i}'s own sitting`).toBe(sittingOf(i));
      expect(push.ticketNumber).withContext(`student ${i}'s own ticket`).toBe(numberOf[i]);
      expect(push.questionsReleasedAt).toBeTruthy();
      expect(push.answer).toBeNull();
    }

    // 2. the first student writes a draft: its text is theirs alone (R7.4)
    await server.ok(s[0], 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId });
    await server.ok(s[0], 'mutation($e:ID!){ saveAnswer(examId:$e, text:"s01 draft, private"){ version } }', {
      e: examId,
    });

    // 3. an exam change pushes all three sittings in one batch: to each student their own, to staff with staff's rights
    const changed = s.map((token) => nextPushes(ws(token), clientOperation('MySittingChanged'), { examId }));
    const staffFeed = nextPushes(
      ws(staff),
      'subscription($e:ID!){ sittingChanged(examId:$e){ id student { login } ticketNumber answerStatus answer { text } } }',
      { e: examId },
      3,
    );
    await Promise.all([...changed.map((x) => x.started), staffFeed.started]);
    await updateExam(server, staff, u, examId, { ticketAssignment: 'STAFF', endsAt: minutes(90) });
    const mine = (await Promise.all(changed.map((x) => x.done))).map((x) => x[0].mySittingChanged);
    for (let i = 0; i < 3; i++) {
      expect(mine[i].id).withContext(`student ${i}'s own sitting`).toBe(sittingOf(i));
      expect(mine[i].ticketNumber).withContext(`student ${i}'s own ticket`).toBe(numberOf[i]);
    }
    expect(mine[0].answer.text).withContext('the author sees their draft').toBe('s01 draft, private');
    expect(mine[0].answerStatus).toBe('DRAFT');
    for (const i of [1, 2]) {
      expect(mine[i].answer).withContext('no one else has an answer').toBeNull();
      expect(mine[i].answerStatus).toBeNull();
      expect(JSON.stringify(mine[i])).not.toContain('s01 draft');
    }
    const seenByStaff = (await staffFeed.done).map((x) => x.sittingChanged);
    expect(seenByStaff.find((x) => x.id === sittingOf(0)))
      .withContext('staff: the status of the draft, never its text')
      .toEqual({
        id: sittingOf(0),
        student: { login: u.students[0].login },
        ticketNumber: 3,
        answerStatus: 'DRAFT',
        answer: null,
      });
    expect(JSON.stringify(seenByStaff)).not.toContain('s01 draft');
  });
});
