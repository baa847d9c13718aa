import { createExam, seedUniversity, startTestServer, type TestServer, type University } from '../../testing/harness';

/** R4.2, R4.3 under load: 30 students at once, one holder per ticket and one ticket per student, decided by the database. */
describe('ticket races', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let tokens: string[];

  const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }';
  const BOARD = 'query($e:ID!){ exam(id:$e){ ticketBoard{ id taken } mySitting{ ticketNumber } } }';
  const ROOM =
    'query($e:ID!){ exam(id:$e){ tickets { id number takenBy { id } } sittings { student { id } ticketNumber } } }';

  type Room = {
    tickets: { id: string; number: number; takenBy: { id: string } | null }[];
    sittings: { student: { id: string }; ticketNumber: number | null }[];
  };
  const room = async (examId: string): Promise<Room> => (await server.ok(staff, ROOM, { e: examId })).exam;

  /** One holder per ticket, one ticket per student, and the two views (tickets, sittings) agree. */
  function expectOneToOne(r: Room, studentCount: number) {
    const holders = r.tickets.filter((t) => t.takenBy).map((t) => t.takenBy!.id);
    expect(holders.length).toBe(studentCount);
    expect(new Set(holders).size).toBe(studentCount);
    expect(new Set(holders)).toEqual(new Set(u.students.map((x) => x.id)));
    const numbers = r.sittings.map((x) => x.ticketNumber);
    expect(numbers.every((n) => typeof n === 'number')).toBeTrue();
    expect(new Set(numbers).size).toBe(studentCount);
    for (const sitting of r.sittings) {
      const held = r.tickets.find((t) => t.takenBy?.id === sitting.student.id);
      expect(held?.number).withContext(sitting.student.id).toBe(sitting.ticketNumber!);
    }
  }

  /** the exam's tickets 1..count, added in parallel (the harness adds them one by one); ids in number order */
  const addTicketsAtOnce = async (token: string, examId: string, count: number): Promise<string[]> =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        server
          .ok(token, 'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id } }', {
            e: examId,
            n: i + 1,
            q: `Questions of ticket ${i + 1}`,
          })
          .then((d) => d.addTicket.id as string),
      ),
    );

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 30);
    staff = await server.login('staff');
    tokens = await Promise.all(u.students.map((x) => server.login(x.login)));
  }, 60_000); // 30 scrypt logins
  afterAll(() => server.stop());

  it('gives one ticket chosen by 30 students at once to exactly one of them; the other 29 get TICKET_TAKEN', async () => {
    const examId = await createExam(server, staff, u);
    const [first] = await addTicketsAtOnce(staff, examId, 3);

    const results = await Promise.all(tokens.map((t) => server.gql(t, CHOOSE, { e: examId, t: first })));
    const winners = results.filter((r) => !r.errors && r.data?.chooseTicket?.ticketNumber === 1);
    const codes = results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code);
    expect(winners.length).toBe(1);
    expect(codes.length).toBe(29);
    expect(codes.every((c) => c === 'TICKET_TAKEN'))
      .withContext(JSON.stringify(codes))
      .toBeTrue();

    const winner = u.students[results.findIndex((r) => !r.errors)];
    const r = await room(examId);
    expect(r.tickets.map((t) => t.takenBy?.id ?? null)).toEqual([winner.id, null, null]);
    expect(r.sittings.filter((x) => x.ticketNumber !== null).map((x) => x.student.id)).toEqual([winner.id]);
  }, 30_000);

  it('lets 30 students choosing among 30 tickets at once, retrying on TICKET_TAKEN, end with one ticket each', async () => {
    const examId = await createExam(server, staff, u);
    await addTicketsAtOnce(staff, examId, 30);

    let refusals = 0;
    const unexpected: string[] = [];
    const chooseUntilHeld = async (token: string): Promise<number> => {
      for (let attempt = 0; attempt < 60; attempt++) {
        const board = (await server.ok(token, BOARD, { e: examId })).exam;
        if (board.mySitting.ticketNumber !== null) return board.mySitting.ticketNumber;
        const free = (board.ticketBoard as { id: string; taken: boolean }[]).filter((t) => !t.taken);
        // a random tile, and now and then a taken-looking one anyway, as a stale page would send
        const pool = free.length && Math.random() < 0.8 ? free : board.ticketBoard;
        const tile = pool[Math.floor(Math.random() * pool.length)];
        const result = await server.gql(token, CHOOSE, { e: examId, t: tile.id });
        if (!result.errors) return result.data.chooseTicket.ticketNumber;
        const code = result.errors[0].extensions?.code;
        if (code === 'TICKET_TAKEN') refusals++;
        else unexpected.push(code ?? result.errors[0].message);
      }
      throw new Error('no ticket after 60 attempts');
    };

    const got = await Promise.all(tokens.map(chooseUntilHeld));
    expect(unexpected).toEqual([]);
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(refusals).toBeGreaterThan(0); // the race really happened

    expectOneToOne(await room(examId), 30);
    // the board, as any student now sees it: nothing left (every student holds a ticket, so the board is closed)
    const after = await Promise.all(tokens.slice(0, 3).map((t) => server.ok(t, BOARD, { e: examId })));
    for (const a of after) expect(a.exam.ticketBoard).toBeNull();
  }, 30_000);

  it('draws 30 distinct tickets when 30 students enter a RANDOM exam at once', async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'RANDOM' });
    await addTicketsAtOnce(staff, examId, 30);

    const results = await Promise.all(
      tokens.map((t) => server.gql(t, 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber } }', { e: examId })),
    );
    expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
    const numbers = results.map((r) => r.data.enterExam.ticketNumber as number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expectOneToOne(await room(examId), 30);
  }, 30_000);

  it('gives one ticket to a student who clicks five tiles at once; the other clicks get TICKET_ALREADY_CHOSEN', async () => {
    const examId = await createExam(server, staff, u);
    const ids = await addTicketsAtOnce(staff, examId, 5);

    const results = await Promise.all(ids.map((t) => server.gql(tokens[0], CHOOSE, { e: examId, t })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual([
      'TICKET_ALREADY_CHOSEN',
      'TICKET_ALREADY_CHOSEN',
      'TICKET_ALREADY_CHOSEN',
      'TICKET_ALREADY_CHOSEN',
    ]);
    const r = await room(examId);
    expect(r.tickets.filter((t) => t.takenBy).map((t) => t.takenBy!.id)).toEqual([u.students[0].id]);
    const won = results.find((r) => !r.errors)!.data.chooseTicket.ticketNumber;
    expect(r.sittings.find((x) => x.student.id === u.students[0].id)!.ticketNumber).toBe(won);
  }, 30_000);

  it('draws one ticket for a student entering a RANDOM exam from several tabs at once, and every tab shows it', async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'RANDOM' });
    await addTicketsAtOnce(staff, examId, 10);

    const results = await Promise.all(
      [0, 1, 2, 3].map(() =>
        server.gql(tokens[0], 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber } }', { e: examId }),
      ),
    );
    expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
    const r = await room(examId);
    const held = r.tickets.filter((t) => t.takenBy);
    expect(held.length).toBe(1);
    expect(results.map((x) => x.data.enterExam.ticketNumber)).toEqual([
      held[0].number,
      held[0].number,
      held[0].number,
      held[0].number,
    ]);
  }, 30_000);

  it('refuses exactly one student with NO_FREE_TICKETS when 30 enter a RANDOM exam with 29 tickets at once', async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'RANDOM' });
    await addTicketsAtOnce(staff, examId, 29);

    const results = await Promise.all(
      tokens.map((t) => server.gql(t, 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber } }', { e: examId })),
    );
    const codes = results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code);
    expect(codes).toEqual(['NO_FREE_TICKETS']);
    const numbers = results.filter((r) => !r.errors).map((r) => r.data.enterExam.ticketNumber as number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const r = await room(examId);
    expect(r.tickets.every((t) => t.takenBy)).toBeTrue();
    expect(new Set(r.tickets.map((t) => t.takenBy!.id)).size).toBe(29);
  }, 30_000);
});
