import {
  addTickets,
  createExam,
  minutes,
  seedUniversity,
  sleep,
  startTestServer,
  type TestServer,
  type University,
} from '../../testing/harness';

/** R4 and R5 through GraphQL: choosing, drawing and assigning tickets, the board, the exam window, releasing questions. */
describe('tickets', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[]; // tokens of s01..s06

  const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }';
  const PAGE =
    'query($e:ID!){ exam(id:$e){ ticketBoard{ id taken } mySitting{ ticketNumber questionsReleasedAt questionsViewedAt } } }';
  const ROOM = `query($e:ID!){ exam(id:$e){ tickets { id number takenBy { id login } }
    sittings { student { id login } ticketNumber questionsReleasedAt questionsViewedAt } } }`;
  const ENTER = 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber enteredAt } }';
  const SHOW = `mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename
    ... on QuestionsPending { message } ... on TicketQuestions { ticketNumber questions viewedAt } } }`;
  const RELEASE =
    'mutation($e:ID!,$ids:[ID!]){ releaseQuestions(examId:$e, studentIds:$ids){ student { login } questionsReleasedAt } }';
  const RELEASE_ALL = 'mutation($e:ID!){ releaseQuestions(examId:$e){ student { login } questionsReleasedAt } }';
  const ASSIGN =
    'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ student { login } ticketNumber } }';

  type Room = {
    tickets: { id: string; number: number; takenBy: { id: string; login: string } | null }[];
    sittings: {
      student: { id: string; login: string };
      ticketNumber: number | null;
      questionsReleasedAt: string | null;
      questionsViewedAt: string | null;
    }[];
  };
  const room = async (examId: string): Promise<Room> => (await server.ok(staff, ROOM, { e: examId })).exam;
  const sittingOf = (r: Room, login: string) => r.sittings.find((x) => x.student.login === login)!;
  const page = async (token: string, examId: string) => (await server.ok(token, PAGE, { e: examId })).exam;

  /** updateExam needs the whole input; this moves the window and keeps the rest. */
  async function updateExam(examId: string, input: Record<string, unknown>) {
    await server.ok(
      staff,
      'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
      {
        id: examId,
        input: {
          periodId: u.periodId,
          disciplineId: u.disciplineId,
          teacherId: u.teacher.id,
          format: 'TICKETS',
          ticketAssignment: 'STUDENT_CHOICE',
          studentIds: u.students.map((x) => x.id),
          ...input,
        },
      },
    );
  }

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 6);
    staff = await server.login('staff');
    s = await Promise.all(u.students.map((x) => server.login(x.login)));
  });
  afterAll(() => server.stop());

  describe('choosing (STUDENT_CHOICE)', () => {
    it('refuses a ticket another student holds with TICKET_TAKEN, and a second choice with TICKET_ALREADY_CHOSEN', async () => {
      const examId = await createExam(server, staff, u);
      const [t1, t2, t3] = await addTickets(server, staff, examId, 3);

      expect((await server.ok(s[0], CHOOSE, { e: examId, t: t1 })).chooseTicket.ticketNumber).toBe(1);
      expect(await server.code(s[1], CHOOSE, { e: examId, t: t1 })).toBe('TICKET_TAKEN');
      // the refused student is still free to choose
      expect((await page(s[1], examId)).mySitting.ticketNumber).toBeNull();
      expect((await page(s[1], examId)).ticketBoard).not.toBeNull();

      expect(await server.code(s[0], CHOOSE, { e: examId, t: t2 })).toBe('TICKET_ALREADY_CHOSEN');
      expect(await server.code(s[0], CHOOSE, { e: examId, t: t1 })).toBe('TICKET_ALREADY_CHOSEN');

      expect((await server.ok(s[1], CHOOSE, { e: examId, t: t2 })).chooseTicket.ticketNumber).toBe(2);
      const r = await room(examId);
      expect(r.tickets.map((t) => [t.number, t.takenBy?.login ?? null])).toEqual([
        [1, 's01'],
        [2, 's02'],
        [3, null],
      ]);
      expect(sittingOf(r, 's01').ticketNumber).toBe(1);
      void t3;
    });

    it('refuses a ticket of another exam with NOT_FOUND', async () => {
      const examA = await createExam(server, staff, u);
      const examB = await createExam(server, staff, u);
      await addTickets(server, staff, examA, 1);
      const [foreign] = await addTickets(server, staff, examB, 1);
      expect(await server.code(s[0], CHOOSE, { e: examA, t: foreign })).toBe('NOT_FOUND');
      expect((await room(examB)).tickets[0].takenBy).toBeNull();
    });

    it('refuses before startsAt with EXAM_NOT_STARTED and after endsAt with EXAM_ENDED, following updateExam', async () => {
      const examId = await createExam(server, staff, u, { startsAt: minutes(10), endsAt: minutes(70) });
      const [t1, t2] = await addTickets(server, staff, examId, 2);

      expect(await server.code(s[0], CHOOSE, { e: examId, t: t1 })).toBe('EXAM_NOT_STARTED');
      expect((await page(s[0], examId)).ticketBoard).toBeNull();

      await updateExam(examId, { startsAt: minutes(-5), endsAt: minutes(60) });
      expect((await page(s[0], examId)).ticketBoard.length).toBe(2);
      expect((await server.ok(s[0], CHOOSE, { e: examId, t: t1 })).chooseTicket.ticketNumber).toBe(1);

      await updateExam(examId, { startsAt: minutes(-60), endsAt: minutes(-1) });
      expect(await server.code(s[1], CHOOSE, { e: examId, t: t2 })).toBe('EXAM_ENDED');
      expect((await page(s[1], examId)).ticketBoard).toBeNull();
      expect((await room(examId)).tickets[1].takenBy).toBeNull();

      // moved back into the future: not started again
      await updateExam(examId, { startsAt: minutes(30), endsAt: minutes(90) });
      expect(await server.code(s[1], CHOOSE, { e: examId, t: t2 })).toBe('EXAM_NOT_STARTED');
    });

    it('refuses at an exam created with its window already over with EXAM_ENDED', async () => {
      const examId = await createExam(server, staff, u, { startsAt: minutes(-120), endsAt: minutes(-60) });
      const [t1] = await addTickets(server, staff, examId, 1);
      expect(await server.code(s[0], CHOOSE, { e: examId, t: t1 })).toBe('EXAM_ENDED');
    });

    it('refuses chooseTicket with FORBIDDEN when tickets are drawn (RANDOM) or given by staff (STAFF), and shows no board there', async () => {
      for (const mode of ['RANDOM', 'STAFF']) {
        const examId = await createExam(server, staff, u, { ticketAssignment: mode });
        const [t1] = await addTickets(server, staff, examId, 2);
        expect(await server.code(s[2], CHOOSE, { e: examId, t: t1 }))
          .withContext(mode)
          .toBe('FORBIDDEN');
        expect((await page(s[2], examId)).ticketBoard)
          .withContext(mode)
          .toBeNull();
        expect((await room(examId)).tickets[0].takenBy)
          .withContext(mode)
          .toBeNull();
      }
    });
  });

  describe('the board (R4.2)', () => {
    it('is in an order stable for one student, differing between students, and closes once the student has a ticket', async () => {
      const examId = await createExam(server, staff, u);
      const ids = await addTickets(server, staff, examId, 10);

      const orders: string[][] = [];
      for (const token of s) {
        const first = (await page(token, examId)).ticketBoard as { id: string; taken: boolean }[];
        const again = (await page(token, examId)).ticketBoard as { id: string; taken: boolean }[];
        expect(first.length).toBe(10);
        expect([...first.map((t) => t.id)].sort()).toEqual([...ids].sort());
        expect(first.every((t) => !t.taken)).toBeTrue();
        expect(again.map((t) => t.id)).toEqual(first.map((t) => t.id));
        orders.push(first.map((t) => t.id));
      }
      expect(new Set(orders.map((o) => o.join(','))).size).toBeGreaterThan(1);
      // not simply the order tickets were entered in, for everyone
      expect(orders.some((o) => o.join(',') !== ids.join(','))).toBeTrue();

      const pick = orders[0][3];
      await server.ok(s[0], CHOOSE, { e: examId, t: pick });
      expect((await page(s[0], examId)).ticketBoard).toBeNull();
      expect((await page(s[0], examId)).mySitting.ticketNumber).toBe(ids.indexOf(pick) + 1);

      const other = (await page(s[1], examId)).ticketBoard as { id: string; taken: boolean }[];
      expect(other.map((t) => t.id)).toEqual(orders[1]);
      expect(other.filter((t) => t.taken).map((t) => t.id)).toEqual([pick]);
    });

    it('never tells a student the ticket numbers', async () => {
      const examId = await createExam(server, staff, u);
      await addTickets(server, staff, examId, 2);
      expect(await server.code(s[0], 'query($e:ID!){ exam(id:$e){ ticketBoard{ id number } } }', { e: examId })).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(await server.code(s[0], 'query($e:ID!){ exam(id:$e){ tickets{ number } } }', { e: examId })).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe('RANDOM assignment', () => {
    it('draws a free ticket when the student enters an open exam, and NO_FREE_TICKETS once all are taken', async () => {
      const four = u.students.slice(0, 4).map((x) => x.id);
      const examId = await createExam(server, staff, u, {
        ticketAssignment: 'RANDOM',
        studentIds: four,
        startsAt: minutes(10),
        endsAt: minutes(70),
      });
      await addTickets(server, staff, examId, 3);

      // before the start nothing is drawn
      expect((await server.ok(s[0], ENTER, { e: examId })).enterExam.ticketNumber).toBeNull();
      expect((await room(examId)).tickets.every((t) => t.takenBy === null)).toBeTrue();

      await updateExam(examId, {
        ticketAssignment: 'RANDOM',
        studentIds: four,
        startsAt: minutes(-1),
        endsAt: minutes(60),
      });
      const drawn: number[] = [];
      for (const token of s.slice(0, 3)) {
        const n = (await server.ok(token, ENTER, { e: examId })).enterExam.ticketNumber;
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(3);
        drawn.push(n);
      }
      expect([...drawn].sort()).toEqual([1, 2, 3]);
      // entering again keeps the ticket
      expect((await server.ok(s[0], ENTER, { e: examId })).enterExam.ticketNumber).toBe(drawn[0]);

      expect(await server.code(s[3], ENTER, { e: examId })).toBe('NO_FREE_TICKETS');
      const r = await room(examId);
      expect(sittingOf(r, 's04').ticketNumber).toBeNull();
      expect(r.tickets.map((t) => t.takenBy?.login).sort()).toEqual(['s01', 's02', 's03']);
    });
  });

  describe('STAFF assignment', () => {
    it('assignTicket gives one ticket; a held ticket is refused with TICKET_TAKEN and a second one with TICKET_ALREADY_CHOSEN', async () => {
      const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
      const [t1, t2, t3] = await addTickets(server, staff, examId, 3);

      const given = await server.ok(staff, ASSIGN, { e: examId, s: u.students[0].id, t: t2 });
      expect(given.assignTicket).toEqual({ student: { login: 's01' }, ticketNumber: 2 });
      expect((await page(s[0], examId)).mySitting.ticketNumber).toBe(2);

      expect(await server.code(staff, ASSIGN, { e: examId, s: u.students[1].id, t: t2 })).toBe('TICKET_TAKEN');
      expect(await server.code(staff, ASSIGN, { e: examId, s: u.students[0].id, t: t3 })).toBe('TICKET_ALREADY_CHOSEN');
      expect(await server.code(s[1], ASSIGN, { e: examId, s: u.students[1].id, t: t1 })).toBe('FORBIDDEN');

      const r = await room(examId);
      expect(r.tickets.map((t) => t.takenBy?.login ?? null)).toEqual([null, 's01', null]);
      expect(sittingOf(r, 's02').ticketNumber).toBeNull();
    });

    it('hides an assigned ticket number from the student until the exam starts (R2.3)', async () => {
      const examId = await createExam(server, staff, u, {
        ticketAssignment: 'STAFF',
        startsAt: minutes(10),
        endsAt: minutes(70),
      });
      const [t1] = await addTickets(server, staff, examId, 1);
      await server.ok(staff, ASSIGN, { e: examId, s: u.students[0].id, t: t1 });
      expect((await page(s[0], examId)).mySitting.ticketNumber).toBeNull();
      expect(sittingOf(await room(examId), 's01').ticketNumber).toBe(1);
    });
  });

  describe('releasing and showing questions (R5)', () => {
    it('releases to a listed student only, and without studentIds to everyone holding a ticket', async () => {
      const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
      const tickets = await addTickets(server, staff, examId, 4);
      for (let i = 0; i < 3; i++) await server.ok(staff, ASSIGN, { e: examId, s: u.students[i].id, t: tickets[i] });

      const one = await server.ok(staff, RELEASE, { e: examId, ids: [u.students[1].id] });
      expect(one.releaseQuestions.map((x: { student: { login: string } }) => x.student.login)).toEqual(['s02']);
      expect(one.releaseQuestions[0].questionsReleasedAt).toBeTruthy();
      let r = await room(examId);
      expect(sittingOf(r, 's02').questionsReleasedAt).toBeTruthy();
      expect(sittingOf(r, 's01').questionsReleasedAt).toBeNull();
      expect(sittingOf(r, 's03').questionsReleasedAt).toBeNull();
      const firstRelease = sittingOf(r, 's02').questionsReleasedAt;

      expect((await server.ok(s[0], SHOW, { e: examId })).showTicketQuestions.__typename).toBe('QuestionsPending');
      const shown = (await server.ok(s[1], SHOW, { e: examId })).showTicketQuestions;
      expect(shown).toEqual(
        jasmine.objectContaining({
          __typename: 'TicketQuestions',
          ticketNumber: 2,
          questions: 'Questions of ticket 2',
        }),
      );

      await sleep(20);
      const all = await server.ok(staff, RELEASE_ALL, { e: examId });
      expect(all.releaseQuestions.map((x: { student: { login: string } }) => x.student.login).sort()).toEqual([
        's01',
        's02',
        's03',
      ]);
      r = await room(examId);
      for (const login of ['s01', 's02', 's03'])
        expect(sittingOf(r, login).questionsReleasedAt).withContext(login).toBeTruthy();
      for (const login of ['s04', 's05', 's06'])
        expect(sittingOf(r, login).questionsReleasedAt).withContext(login).toBeNull();
      expect(sittingOf(r, 's02').questionsReleasedAt).toBe(firstRelease);
      expect((await server.ok(s[0], SHOW, { e: examId })).showTicketQuestions.__typename).toBe('TicketQuestions');
    });

    it('records questionsViewedAt on the first view only', async () => {
      const examId = await createExam(server, staff, u);
      const [t1] = await addTickets(server, staff, examId, 1);
      await server.ok(s[0], CHOOSE, { e: examId, t: t1 });
      expect((await server.ok(s[0], SHOW, { e: examId })).showTicketQuestions.__typename).toBe('QuestionsPending');
      expect(sittingOf(await room(examId), 's01').questionsViewedAt).toBeNull();

      await server.ok(staff, RELEASE, { e: examId, ids: [u.students[0].id] });
      const first = (await server.ok(s[0], SHOW, { e: examId })).showTicketQuestions;
      expect(first.__typename).toBe('TicketQuestions');
      expect(first.ticketNumber).toBe(1);
      expect(Date.parse(first.viewedAt)).toBeGreaterThan(Date.now() - 60_000);

      await sleep(50);
      const second = (await server.ok(s[0], SHOW, { e: examId })).showTicketQuestions;
      expect(second.viewedAt).toBe(first.viewedAt);
      expect(sittingOf(await room(examId), 's01').questionsViewedAt).toBe(first.viewedAt);
      expect((await page(s[0], examId)).mySitting.questionsViewedAt).toBe(first.viewedAt);
    });
  });
});
