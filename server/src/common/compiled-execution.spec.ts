import { execute, parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { compilations, compiledFor, executeCompiled } from './compiled-execution';
import { createSchema } from '../schema';
import { clientOperation } from '../testing/client-operations';
import { comparePushes, wire, type ComparedPush } from '../testing/push-comparison';
import {
  addTickets,
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  type TestServer,
  type University,
} from '../testing/harness';

describe('compiledFor', () => {
  it('compiles each document and operation once, and answers null for what graphql-jit cannot compile', async () => {
    const schema = await createSchema();
    const document = parse(clientOperation('QuestionsReleased'));
    const before = compilations.count;
    const first = compiledFor(schema, document, 'QuestionsReleased');
    expect(first).not.toBeNull();
    expect(compiledFor(schema, document, 'QuestionsReleased')).toBe(first);
    expect(compilations.count - before).toBe(1);
    // another parse of the same text is another document: compiled again, never confused with the first
    expect(compiledFor(schema, parse(clientOperation('QuestionsReleased')), 'QuestionsReleased')).not.toBe(first);
    // no such operation in the document
    expect(compiledFor(schema, document, 'Nothing')).toBeNull();
    expect(compiledFor(schema, document, 'Nothing')).toBeNull();
    expect(compilations.count - before).toBe(3);
  });

  it('runs on graphql-js what it cannot compile, with graphql-js errors', async () => {
    const schema = await createSchema();
    const document = parse('query A { __typename } query B { __typename }');
    const args: ExecutionArgs = { schema, document, operationName: 'C' };
    expect(wire(await executeCompiled(args))).toEqual(wire(await execute(args)));
    expect((await executeCompiled(args)).errors?.[0].message).toContain('Unknown operation named "C"');
  });
});

/**
 * Every push of these specs is executed both ways — graphql-js's `execute` and the compiled form — and the two results
 * compared as they would go on the wire; the client receives the compiled one.
 */
describe('compiled pushes', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[];
  const clients: WsClient[] = [];
  const compared: ComparedPush[] = [];
  let restore: () => void;

  const ws = (token: string) => {
    const client = server.ws(token);
    clients.push(client);
    return client;
  };

  /** the first `count` messages of a subscription (data and errors alike) */
  function feed(client: WsClient, query: string, variables: Record<string, unknown>) {
    const results: ExecutionResult[] = [];
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => void results.push(value as ExecutionResult),
        error: (error) => void results.push({ errors: error as never }),
        complete: () => undefined,
      },
    );
    const until = async (count: number) => {
      for (let i = 0; i < 300 && results.length < count; i++) await sleep(10);
      return results;
    };
    return { results, until, dispose };
  }

  const RELEASE = 'mutation($e:ID!,$ids:[ID!]){ releaseQuestions(examId:$e, studentIds:$ids){ id } }';
  const ASSIGN = 'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ ticketNumber } }';

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    [staff, ...s] = await Promise.all([server.login('staff'), ...u.students.map((x) => server.login(x.login))]);
    restore = comparePushes(compared, execute, executeCompiled); // graphql-js's result expected of the compiled one
  }, 30_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    compared.length = 0;
  });
  afterAll(async () => {
    restore();
    await server.stop();
  });

  it("gives the page's pushes as graphql-js does: its own sitting on release, the board, staff's room", async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const tickets = await addTickets(server, staff, examId, 3);
    await server.ok(staff, ASSIGN, { e: examId, s: u.students[0].id, t: tickets[0] });
    const boardExam = await createExam(server, staff, u);
    await addTickets(server, staff, boardExam, 2);

    const released = feed(ws(s[0]), clientOperation('QuestionsReleased'), { examId });
    const board = feed(ws(s[1]), clientOperation('TicketBoardChanged'), { examId: boardExam });
    const room = feed(
      ws(staff),
      'subscription($e:ID!){ sittingChanged(examId:$e){ id student { login } online ticketNumber questionsReleasedAt events { kind actor { login } } } }',
      { e: examId },
    );
    await sleep(300);
    await server.ok(staff, RELEASE, { e: examId, ids: [u.students[0].id] });
    const [push] = await released.until(1);
    expect(push.errors).toBeUndefined();
    expect(push.data?.questionsReleased).toEqual(
      jasmine.objectContaining({ ticketNumber: 1, questionsReleasedAt: jasmine.any(String) }),
    );
    expect(await room.until(1)).not.toEqual([]);

    // another student takes a ticket of the board exam: the viewer's board changes
    const chooser = await server.login(u.students[2].login);
    const tiles = (
      await server.ok(chooser, 'query($e:ID!){ exam(id:$e){ ticketBoard { id taken } } }', { e: boardExam })
    ).exam.ticketBoard;
    await server.ok(chooser, clientOperation('ChooseTicket'), { examId: boardExam, ticketId: tiles[0].id });
    const boardPushes = await board.until(1);
    expect(boardPushes[0].errors).toBeUndefined();
    expect((boardPushes[0].data?.ticketBoardChanged as { taken: boolean }[]).filter((t) => t.taken).length).toBe(1);

    await sleep(100);
    const operations = new Set(compared.map((c) => c.operation ?? '(anonymous)'));
    expect(operations).toEqual(new Set(['QuestionsReleased', 'TicketBoardChanged', '(anonymous)']));
    for (const { operation, expected, actual } of compared)
      expect(actual).withContext(String(operation)).toEqual(expected);
  });

  it("keeps a field the student may not see hidden: the audit trail of their own sitting is refused with the resolver's error", async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const tickets = await addTickets(server, staff, examId, 1);
    await server.ok(staff, ASSIGN, { e: examId, s: u.students[0].id, t: tickets[0] });
    const released = feed(
      ws(s[0]),
      'subscription Peek($e:ID!){ questionsReleased(examId:$e){ id ticketNumber events { kind detail } } }',
      { e: examId },
    );
    await sleep(300);
    await server.ok(staff, RELEASE, { e: examId });
    const [push] = await released.until(1);
    // events is a non-null list: the refusal nulls the whole sitting, as graphql-js does
    expect(push.data).toBeNull();
    expect(push.errors?.map((e) => [e.message, e.extensions?.code, e.path])).toEqual([
      ["Only staff and the exam's teacher see the audit trail.", 'FORBIDDEN', ['questionsReleased', 'events']],
    ]);
    expect(compared.map((c) => c.operation)).toEqual(['Peek']);
    expect(compared[0].actual).toEqual(compared[0].expected);
  });

  it('refuses a staff-only mutation field inside a compiled operation through the auth checker (@Authorized)', async () => {
    // type-graphql's auth checker runs as a field middleware: the compiled form must call it as graphql-js does
    const schema = await createSchema();
    const document = parse('mutation M($e: ID!) { releaseQuestions(examId: $e) { id } }');
    const student = { id: u.students[0].id, role: 'STUDENT' };
    const args: ExecutionArgs = {
      schema,
      document,
      operationName: 'M',
      variableValues: { e: 'no-such-exam' },
      contextValue: { user: student, session: null, services: {} },
    };
    const jit = wire(await executeCompiled(args));
    expect(jit).toEqual(wire(await execute(args)));
    expect(jit.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(jit.data).toBeNull();
  });
});
