import { ApolloServer } from '@apollo/server';
import { clientOperation } from '../testing/client-operations';
import { createExam, seedUniversity, startTestServer, type TestServer, type University } from '../testing/harness';

interface Answer {
  status: number;
  /** every header but the two that differ by nature between two responses (the date and the request's id) */
  headers: Record<string, string>;
  retryAfter: string | null;
  body: unknown;
}

async function answerOf(res: Response): Promise<Answer> {
  return {
    status: res.status,
    headers: Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id')),
    retryAfter: res.headers.get('retry-after'),
    body: await res.json(),
  };
}

const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** a POST of one operation: the direct lane takes it when its text is valid */
async function post(
  server: TestServer,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return answerOf(res);
}

/** the same query as a GET, which only Apollo serves */
async function viaApollo(
  server: TestServer,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const res = await fetch(`${server.url}/graphql?${search}`, {
    headers: { 'apollo-require-preflight': 'true', ...bearer(token), ...headers },
  });
  return answerOf(res);
}

/** GraphQL over HTTP without Apollo's pipeline (graphql-direct.ts): the same answers as Apollo gives — status, headers, JSON. */
describe('GraphQL over HTTP, the direct lane', () => {
  let server: TestServer;
  let u: University;
  let student: string;
  let examId: string;
  let apolloCalls: jasmine.Spy;

  beforeAll(async () => {
    server = await startTestServer({ savesPerMinute: 1 });
    u = await seedUniversity(server, 2);
    examId = await createExam(server, await server.login('staff'), u);
    student = await server.login('s01');
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    apolloCalls = spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest').and.callThrough();
  });

  it('answers a valid operation without Apollo, as Apollo answers it: data, refusals with their codes, headers, media types', async () => {
    const cases: [string, string | null, string, Record<string, unknown>, Record<string, string>][] = [
      ["the exam page's own query", student, clientOperation('StudentExam'), { id: examId }, {}],
      [
        'a refused field beside data (FORBIDDEN, data kept)',
        student,
        'query($id: ID!) { exam(id: $id) { id tickets { id } } }',
        { id: examId },
        {},
      ],
      [
        'an exam that is not theirs (NOT_FOUND)',
        student,
        'query($id: ID!) { exam(id: $id) { id } }',
        { id: u.yearId },
        {},
      ],
      ['no session (UNAUTHENTICATED)', null, 'query($id: ID!) { exam(id: $id) { id } }', { id: examId }, {}],
      [
        'a client that prefers application/graphql-response+json',
        student,
        '{ __typename }',
        {},
        { accept: 'application/graphql-response+json, application/json;q=0.9' },
      ],
    ];
    for (const [name, token, query, variables, headers] of cases) {
      const apollo = await viaApollo(server, token, query, variables, headers);
      expect(apolloCalls).withContext(name).toHaveBeenCalledTimes(1);
      const direct = await post(server, token, query, variables, headers);
      expect(apolloCalls).withContext(`${name}: the POST went to Apollo`).toHaveBeenCalledTimes(1);
      expect(direct).withContext(name).toEqual(apollo);
      apolloCalls.calls.reset();
    }
    const withData = await post(server, student, 'query($id: ID!) { exam(id: $id) { id tickets { id } } }', {
      id: examId,
    });
    expect(withData.status).toBe(200);
    expect(withData.body).toEqual({
      errors: [jasmine.objectContaining({ path: ['exam', 'tickets'], extensions: { code: 'FORBIDDEN' } })],
      data: { exam: null },
    });
  });

  it('leaves to Apollo what it refuses before execution: syntax, validation, variables, batches, persisted queries', async () => {
    const refused = [
      await post(server, student, '{ exam(id: ) }'),
      await post(server, student, '{ nothingHere }'),
      await post(server, student, 'query($id: ID!) { exam(id: $id) { id } }', { id: { not: 'an id' } }),
      await post(server, student, 'query($id: ID!) { exam(id: $id) { id } }', {}),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(
      refused.map((r) => (r.body as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code),
    ).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    const persisted = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(student) },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
    });
    expect(persisted.status).toBe(200);
    expect(await persisted.json()).toEqual({
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const batch = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(student) },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    expect(apolloCalls).toHaveBeenCalledTimes(6);
  });

  it("takes a refusal's status and Retry-After from the error, as Apollo does (429 TOO_MANY_REQUESTS)", async () => {
    const save = 'mutation($e: ID!, $t: String!) { saveAnswer(examId: $e, text: $t) { id } }';
    await post(server, student, save, { e: examId, t: 'a first save, within the limit' });
    const refused = await post(server, student, save, { e: examId, t: 'a second save in the same minute' });
    expect(apolloCalls).not.toHaveBeenCalled();
    expect(refused.status).toBe(429);
    const error = (refused.body as { errors: { extensions: Record<string, unknown> }[] }).errors[0];
    expect(error.extensions).toEqual({ retryAfter: jasmine.any(Number), code: 'TOO_MANY_REQUESTS' });
    expect(refused.retryAfter).toBe(String(error.extensions.retryAfter));
    expect(refused.body).toEqual(jasmine.objectContaining({ data: null }));
  });

  it('answers a failed context (the anonymous rate limit) as Apollo does', async () => {
    const limited = await startTestServer({ anonymousRequestsPerMinute: 2 });
    try {
      const answers = [
        await post(limited, null, '{ __typename }'),
        await post(limited, null, '{ __typename }'),
        await post(limited, null, '{ __typename }'),
        await viaApollo(limited, null, '{ __typename }'),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
      expect(answers[2]).toEqual(answers[3]);
      expect(apolloCalls).toHaveBeenCalledTimes(1);
    } finally {
      await limited.stop();
    }
  });

  it('counts a request it leaves to Apollo (variables that do not coerce) once against the anonymous rate limit', async () => {
    const limited = await startTestServer({ anonymousRequestsPerMinute: 2 });
    try {
      const badVariables = await post(limited, null, 'query($id: ID!) { exam(id: $id) { id } }', { id: { not: 1 } });
      expect(badVariables.status).toBe(400);
      expect(apolloCalls).toHaveBeenCalledTimes(1);
      const answers = [await post(limited, null, '{ __typename }'), await post(limited, null, '{ __typename }')];
      expect(answers.map((a) => a.status)).toEqual([200, 429]);
    } finally {
      await limited.stop();
    }
  });
});
