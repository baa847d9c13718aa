import {
  execute,
  getNamedType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { getMetadataStorage } from 'type-graphql';
import { pushExecution } from './compiled-execution';
import { bindDirectResolvers, ResolverInstances } from './direct-resolvers';
import { createSchema, directBindings, schemaWithoutDirectResolvers } from '../schema';
import { clientOperation } from '../testing/client-operations';
import { comparePushes, type ComparedPush } from '../testing/push-comparison';
import {
  addTickets,
  createExam,
  nextPushes,
  seedUniversity,
  sleep,
  startTestServer,
  type TestServer,
  type University,
} from '../testing/harness';

/** `Type.field` of every field an operation selects */
function selectedFields(schema: GraphQLSchema, operation: string): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  visit(
    parse(operation),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) fields.add(`${getNamedType(parent).name}.${node.name.value}`);
      },
    }),
  );
  return fields;
}

describe('direct resolver bindings', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[];
  let reference: GraphQLSchema;
  const clients: WsClient[] = [];
  const compared: ComparedPush[] = [];
  let restore: () => void;
  const ws = (token: string) => {
    const client = server.ws(token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    [staff, ...s] = await Promise.all([server.login('staff'), ...u.students.map((x) => server.login(x.login))]);
    reference = await schemaWithoutDirectResolvers();
    // every push runs twice: on the schema as type-graphql builds it (graphql-js) and as served; the client gets the latter
    restore = comparePushes(compared, (args) => execute({ ...args, schema: reference }), pushExecution.execute);
  }, 30_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    compared.length = 0;
  });
  afterAll(async () => {
    restore();
    await server.stop();
  });

  it("binds the release push's fields: every field of the page's QuestionsReleased runs without type-graphql's wrapper", async () => {
    const schema = await createSchema();
    const bound = new Set([...directBindings!.called, ...directBindings!.read]);
    expect(directBindings!.called.length).toBeGreaterThan(0);
    expect(directBindings!.read.length).toBeGreaterThan(0);
    const pushed = selectedFields(schema, clientOperation('QuestionsReleased'));
    expect(pushed.size).toBeGreaterThan(10);
    const resolved = [...pushed].filter((name) => {
      const [type, field] = name.split('.');
      return (schema.getType(type) as { getFields(): Record<string, { resolve?: unknown }> }).getFields()[field]
        .resolve;
    });
    // what still has a resolver is the direct call (or the API-client scope guard around it), never type-graphql's
    expect([...pushed].filter((name) => !bound.has(name))).toEqual([]);
    expect(resolved).toContain('Subscription.questionsReleased');
  });

  it('leaves every @Authorized root field to type-graphql, so the auth checker still refuses', async () => {
    const storage = getMetadataStorage();
    const guarded = [
      ...storage.queries.map((q) => [`Query.${q.schemaName}`, q.roles] as const),
      ...storage.mutations.map((m) => [`Mutation.${m.schemaName}`, m.roles] as const),
      ...storage.subscriptions.map((m) => [`Subscription.${m.schemaName}`, m.roles] as const),
    ]
      .filter(([, roles]) => roles !== undefined)
      .map(([name]): string => name);
    expect(guarded).toContain('Mutation.releaseQuestions');
    expect(directBindings!.called.filter((name) => guarded.includes(name))).toEqual([]);

    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const refused = await server.gql(s[0], 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("gives the pushes type-graphql's results: each student's own release, the board, staff's room, a refused field", async () => {
    const examId = await createExam(server, staff, u, { ticketAssignment: 'STAFF' });
    const tickets = await addTickets(server, staff, examId, 3);
    for (let i = 0; i < 2; i++)
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        {
          e: examId,
          s: u.students[i].id,
          t: tickets[1 - i],
        },
      );
    const boardExam = await createExam(server, staff, u);
    await addTickets(server, staff, boardExam, 2);

    const released = [0, 1].map((i) => nextPushes(ws(s[i]), clientOperation('QuestionsReleased'), { examId }));
    const board = nextPushes(ws(s[2]), clientOperation('TicketBoardChanged'), { examId: boardExam });
    const room = nextPushes(
      ws(staff),
      'subscription Room($e:ID!){ sittingChanged(examId:$e){ id student { login } online ticketNumber questionsReleasedAt events { kind actor { login } } } }',
      { e: examId },
    );
    const refusedEvents: ExecutionResult[] = [];
    // the audit trail of their own sitting is staff's: refused by the field's own rule, on a second tab of student 0
    ws(s[0]).subscribe(
      {
        query: 'subscription Peek($e:ID!){ questionsReleased(examId:$e){ id events { kind } } }',
        variables: { e: examId },
      },
      {
        next: (value) => void refusedEvents.push(value as ExecutionResult),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await Promise.all([...released.map((r) => r.started), board.started, room.started]);
    await sleep(200);
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    const [[first], [second]] = await Promise.all(released.map((r) => r.done));
    expect([first.questionsReleased.ticketNumber, second.questionsReleased.ticketNumber]).toEqual([2, 1]);
    await room.done;

    const chooser = await server.login(u.students[1].login);
    const tiles = (await server.ok(chooser, 'query($e:ID!){ exam(id:$e){ ticketBoard { id } } }', { e: boardExam }))
      .exam.ticketBoard;
    await server.ok(chooser, clientOperation('ChooseTicket'), { examId: boardExam, ticketId: tiles[0].id });
    await board.done;
    for (let i = 0; i < 100 && refusedEvents.length === 0; i++) await sleep(10);
    expect(refusedEvents[0]?.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    await sleep(100);

    const operations = new Set(compared.map((c) => c.operation));
    for (const name of ['QuestionsReleased', 'TicketBoardChanged', 'Room', 'Peek']) expect(operations).toContain(name);
    for (const { operation, expected, actual } of compared)
      expect(actual).withContext(String(operation)).toEqual(expected);
  });
});

describe('bindDirectResolvers', () => {
  type Options = Parameters<typeof bindDirectResolvers>[1];
  const resolvers = () => getMetadataStorage().resolverClasses.map((r) => r.target) as Options['resolvers'];
  const sittingExam = (schema: GraphQLSchema) => (schema.getType('Sitting') as GraphQLObjectType).getFields().exam;

  it('binds nothing when type-graphql would run more for every field: a global middleware, validation', async () => {
    const refusals: Partial<Options>[] = [
      { globalMiddlewares: [async (_data, next) => next()], validate: false },
      { validate: true },
      { validate: false, validateFn: () => undefined },
    ];
    for (const options of refusals) {
      const schema = await schemaWithoutDirectResolvers();
      const typeGraphql = sittingExam(schema).resolve;
      const bindings = bindDirectResolvers(schema, {
        resolvers: resolvers(),
        container: new ResolverInstances(),
        ...options,
      });
      expect(bindings).toEqual({ called: [], read: [] });
      expect(sittingExam(schema).resolve).toBe(typeGraphql);
    }
    // the same without them: bound
    const schema = await schemaWithoutDirectResolvers();
    const typeGraphql = sittingExam(schema).resolve;
    const bound = bindDirectResolvers(schema, {
      resolvers: resolvers(),
      container: new ResolverInstances(),
      validate: false,
    });
    expect(bound.called).toContain('Sitting.exam');
    expect(sittingExam(schema).resolve).not.toBe(typeGraphql);
  });
});
