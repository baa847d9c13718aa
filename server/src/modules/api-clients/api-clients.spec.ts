import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import WebSocket from 'ws';
import { createClient as wsClient } from 'graphql-ws';
import { createSchema } from '../../schema';
import { logger } from '../../common/logger';
import { createExam, seedUniversity, startTestServer, type TestServer, type University } from '../../testing/harness';
import { tokenHash } from '../auth/auth.service';
import { ApiClient } from './api-client.entity';
import { fieldAccess } from './client-scopes';
import { ALL_SCOPES, ANY_CLIENT, FIELD_SCOPES, PEOPLE_ONLY, ROOT_TYPES, type ApiScope } from './scopes';

const CREATE = `mutation($input: ApiClientInput!) {
  createApiClient(input: $input) { token client { id name scopes tokenStart requestsPerMinute lastUsedAt revokedAt createdAt createdBy { login } } }
}`;
const REVOKE = 'mutation($id: ID!) { revokeApiClient(id: $id) { id revokedAt } }';

interface GqlError {
  message: string;
  extensions?: { code?: string; missingScope?: string };
}

/** A literal that passes validation for an argument of this type (ids are random: nothing is found by them). */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    const values: Record<string, string> = {
      ID: `"${randomUUID()}"`,
      String: `"generated-${randomUUID().slice(0, 8)}"`,
      Int: '1',
      Float: '1',
      Boolean: 'false',
      DateTime: '"2026-12-01T10:00:00.000Z"',
      Date: '"2026-12-01"',
    };
    if (values[type.name]) return values[type.name];
  }
  throw new Error(`no literal for ${String(type)}: teach the generator this type`);
}

/** `query { field(required args) { __typename } }` for a root field, built from the schema itself */
function operationFor(typeName: string, field: GraphQLField<unknown, unknown>): string {
  const args = field.args
    .filter((a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined)
    .map((a) => `${a.name}: ${literal(a.type)}`);
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isUnionType(named) ? ' { __typename }' : '';
  const keyword = typeName === 'Query' ? 'query' : typeName === 'Mutation' ? 'mutation' : 'subscription';
  return `${keyword} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

describe('API clients', () => {
  let server: TestServer;
  let u: University;
  let staffToken: string;
  /** a client holding every scope, and for each scope one holding all the others */
  let everything: string;
  const allBut = new Map<ApiScope, string>();

  const createClient = async (name: string, scopes: readonly string[], requestsPerMinute?: number) =>
    (await server.ok(staffToken, CREATE, { input: { name, scopes: scopes.map(scopeEnum), requestsPerMinute } }))
      .createApiClient as {
      token: string;
      client: { id: string; name: string; scopes: string[]; tokenStart: string; lastUsedAt: string | null };
    };
  /** the GraphQL enum value of a scope (users:read → USERS_READ) */
  const scopeEnum = (scope: string) => scope.replace(':', '_').toUpperCase();

  /** the errors of one root-field operation, over HTTP or (a subscription) over graphql-ws */
  async function errorsOf(token: string, typeName: string, operation: string): Promise<GqlError[]> {
    if (typeName !== 'Subscription') return ((await server.gql(token, operation)).errors ?? []) as GqlError[];
    const ws = server.ws(token);
    try {
      return await new Promise<GqlError[]>((resolve) => {
        const timer = setTimeout(() => resolve([]), 1500); // subscribed and waiting for a push: not refused
        ws.subscribe(
          { query: operation },
          {
            next: (value) => {
              clearTimeout(timer);
              resolve((value.errors ?? []) as GqlError[]);
            },
            error: (errors) => {
              clearTimeout(timer);
              resolve(Array.isArray(errors) ? (errors as GqlError[]) : [{ message: String(errors) }]);
            },
            complete: () => {
              clearTimeout(timer);
              resolve([]);
            },
          },
        );
      });
    } finally {
      await ws.dispose();
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 2);
    staffToken = await server.login('staff');
    everything = (await createClient('SIS (everything)', ALL_SCOPES)).token;
    for (const scope of ALL_SCOPES) {
      allBut.set(
        scope,
        (
          await createClient(
            `all but ${scope}`,
            ALL_SCOPES.filter((s) => s !== scope),
          )
        ).token,
      );
    }
  });
  afterAll(() => server.stop());

  describe('scopes, for every root field of the schema', () => {
    it('refuse a client without the field’s scope (naming it), and let one with it past the checks of who may ask', async () => {
      const schema = await createSchema();
      let cases = 0;
      for (const typeName of ROOT_TYPES) {
        const type = schema.getType(typeName);
        if (!isObjectType(type)) continue;
        for (const field of Object.values(type.getFields())) {
          const access = fieldAccess(typeName, field.name);
          const operation = operationFor(typeName, field);
          const where = `${typeName}.${field.name}: ${operation}`;
          if (access === undefined || access === PEOPLE_ONLY) {
            const errors = await errorsOf(everything, typeName, operation);
            expect(errors[0]?.extensions?.code).withContext(where).toBe('FORBIDDEN');
            expect(errors[0]?.message).withContext(where).toContain('API clients may not use it');
            cases++;
            continue;
          }
          const allowedTokens = access === ANY_CLIENT ? [everything, ...allBut.values()] : [everything];
          for (const token of allowedTokens) {
            const codes = (await errorsOf(token, typeName, operation)).map((e) => e.extensions?.code);
            expect(codes).withContext(where).not.toContain('FORBIDDEN');
            expect(codes).withContext(where).not.toContain('UNAUTHENTICATED');
            expect(codes).withContext(where).not.toContain('INTERNAL_SERVER_ERROR');
            cases++;
          }
          if (access === ANY_CLIENT) continue;
          const errors = await errorsOf(allBut.get(access)!, typeName, operation);
          expect(errors[0]?.extensions?.code).withContext(where).toBe('FORBIDDEN');
          expect(errors[0]?.extensions?.missingScope).withContext(where).toBe(access);
          cases++;
        }
      }
      // every root field is a case at least once (no field escapes the generator)
      const rootFields = ROOT_TYPES.map((t) => schema.getType(t)).filter(isObjectType);
      expect(cases).toBeGreaterThanOrEqual(rootFields.reduce((n, t) => n + Object.keys(t.getFields()).length, 0));
    });

    it('name only fields that exist (a renamed field would otherwise lose its scope unnoticed)', async () => {
      const schema = await createSchema();
      const missing = Object.entries(FIELD_SCOPES).flatMap(([typeName, fields]) => {
        const type = schema.getType(typeName);
        return Object.keys(fields)
          .filter((field) => !isObjectType(type) || !type.getFields()[field])
          .map((field) => `${typeName}.${field}`);
      });
      expect(missing).toEqual([]);
    });

    it("are listed in the README's scopes table as the code declares them", () => {
      const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
      for (const scope of [...ALL_SCOPES, ANY_CLIENT]) {
        const row = readme
          .split('\n')
          .find((line) => line.startsWith(scope === ANY_CLIENT ? '| any client |' : `| \`${scope}\``));
        expect(row).withContext(scope).toBeDefined();
        for (const typeName of ROOT_TYPES)
          for (const [field, access] of Object.entries(FIELD_SCOPES[typeName] ?? {}))
            if (access === scope) expect(row).withContext(`${typeName}.${field}`).toContain(`\`${field}\``);
      }
    });

    it('check the object fields that carry private data: grades, the audit trail, and never an answer', async () => {
      const examId = await createExam(server, staffToken, u);
      const ask = (token: string, field: string) =>
        server.gql(token, `query($id: ID!) { exam(id: $id) { sittings { id ${field} } } }`, { id: examId });
      const noGrades = await ask(allBut.get('grades:read' as ApiScope)!, 'grade { score }');
      expect(noGrades.errors?.[0]?.extensions).toEqual(
        jasmine.objectContaining({ code: 'FORBIDDEN', missingScope: 'grades:read' }),
      );
      const noTrail = await ask(allBut.get('audit:read' as ApiScope)!, 'events { kind }');
      expect(noTrail.errors?.[0]?.extensions).toEqual(
        jasmine.objectContaining({ code: 'FORBIDDEN', missingScope: 'audit:read' }),
      );
      expect((await ask(everything, 'answer { text }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const full = await ask(everything, 'grade { score } events { kind }');
      expect(full.errors).toBeUndefined();
      expect(full.data.exam.sittings.length).toBe(2);
      // a person is not affected by any of this
      expect((await ask(staffToken, 'grade { score } events { kind } answer { id }')).errors).toBeUndefined();
    });

    it('guard every object field the table lists, each reached for real (an appeal filed, a grade published)', async () => {
      const examId = await createExam(server, staffToken, u, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Explain transactions.',
        resultsRelease: 'AT_ONCE',
      });
      const [student, teacher] = await Promise.all([server.login(u.students[0].login), server.login('teacher')]);
      await server.ok(
        student,
        'mutation($e: ID!) { submitAnswer(examId: $e, text: "Atomic, consistent, isolated, durable.") { status } }',
        { e: examId },
      );
      const room = await server.ok(teacher, 'query($e: ID!) { exam(id: $e) { sittings { id student { id } } } }', {
        e: examId,
      });
      const sittingId = (room.exam.sittings as { id: string; student: { id: string } }[]).find(
        (x) => x.student.id === u.students[0].id,
      )!.id;
      await server.ok(teacher, 'mutation($s: ID!) { gradeSitting(sittingId: $s, score: 60) { id } }', { s: sittingId });
      const filed = await server.ok(
        student,
        'mutation($s: ID!) { fileAppeal(sittingId: $s, text: "The second part was graded too strictly.") { id } }',
        { s: sittingId },
      );
      /** a query reaching one field of the type, with its variables */
      const reach: Record<string, (selection: string) => [string, Record<string, unknown>]> = {
        Sitting: (sel) => [`query($id: ID!) { exam(id: $id) { sittings { id ${sel} } } }`, { id: examId }],
        JournalRow: (sel) => [
          `query($p: ID!, $d: ID!) { journal(periodId: $p, disciplineId: $d) { ${sel} } }`,
          { p: u.periodId, d: u.disciplineId },
        ],
        Appeal: (sel) => [`query($id: ID!) { appeal(id: $id) { id ${sel} } }`, { id: filed.fileAppeal.id }],
      };
      const schema = await createSchema();
      let cases = 0;
      for (const [typeName, fields] of Object.entries(FIELD_SCOPES)) {
        if ((ROOT_TYPES as readonly string[]).includes(typeName)) continue;
        expect(reach[typeName]).withContext(`teach this spec a query that reaches ${typeName}`).toBeDefined();
        const type = schema.getType(typeName);
        if (!isObjectType(type) || !reach[typeName]) continue;
        for (const [field, access] of Object.entries(fields)) {
          const named = getNamedType(type.getFields()[field].type);
          const [query, variables] = reach[typeName](isObjectType(named) ? `${field} { __typename }` : field);
          const where = `${typeName}.${field}`;
          const lacking = access === PEOPLE_ONLY ? everything : allBut.get(access as ApiScope)!;
          const refused = (await server.gql(lacking, query, variables)).errors as GqlError[] | undefined;
          expect(refused?.[0]?.extensions?.code).withContext(where).toBe('FORBIDDEN');
          if (access !== PEOPLE_ONLY) {
            expect(refused?.[0]?.extensions?.missingScope).withContext(where).toBe(access);
            expect((await server.gql(everything, query, variables)).errors)
              .withContext(where)
              .toBeUndefined();
          }
          // a person is not affected
          expect((await server.gql(staffToken, query, variables)).errors)
            .withContext(`${where}, staff`)
            .toBeUndefined();
          cases++;
        }
      }
      expect(cases).toBeGreaterThanOrEqual(17);
    });

    it('let a client with exams:write create an exam and its tickets, acting as itself (not a person)', async () => {
      const sis = (await createClient('timetable', ['exams:write', 'exams:read', 'users:read'])).token;
      const data = await server.ok(sis, 'mutation($input: ExamInput!) { createExam(input: $input) { id } }', {
        input: {
          periodId: u.periodId,
          disciplineId: u.disciplineId,
          teacherId: u.teacher.id,
          startsAt: '2026-12-20T04:00:00.000Z',
          endsAt: '2026-12-20T06:00:00.000Z',
          format: 'TICKETS',
          ticketAssignment: 'RANDOM',
          studentIds: u.students.map((s) => s.id),
        },
      });
      const examId = data.createExam.id as string;
      await server.ok(sis, 'mutation($e: ID!) { addTicket(examId: $e, number: 1, questions: "Q1") { id } }', {
        e: examId,
      });
      const read = await server.ok(
        sis,
        'query($e: ID!) { exam(id: $e) { tickets { number } sittings { student { login } } } }',
        { e: examId },
      );
      expect(read.exam.tickets).toEqual([{ number: 1 }]);
      expect(read.exam.sittings.length).toBe(2);
      expect((await server.gql(sis, 'query { me { id } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('management', () => {
    it('shows the token once and stores only its SHA-256', async () => {
      const created = await createClient('ERP', ['grades:read']);
      expect(created.token).toMatch(/^att_[A-Za-z0-9_-]{43}$/);
      expect(created.token.startsWith(created.client.tokenStart)).toBeTrue();
      expect(created.client.tokenStart.length).toBe(8);
      const listed = await server.ok(staffToken, '{ apiClients { id name scopes tokenStart createdBy { login } } }');
      expect(JSON.stringify(listed)).not.toContain(created.token);
      expect(listed.apiClients.find((c: { id: string }) => c.id === created.client.id)).toEqual({
        id: created.client.id,
        name: 'ERP',
        scopes: ['GRADES_READ'],
        tokenStart: created.client.tokenStart,
        createdBy: { login: 'staff' },
      });
      // nothing in the schema can answer the token or its hash again
      const schema = await createSchema();
      const apiClientType = schema.getType('ApiClient');
      expect(isObjectType(apiClientType) && Object.keys(apiClientType.getFields())).not.toContain('token');
      expect(isObjectType(apiClientType) && Object.keys(apiClientType.getFields())).not.toContain('tokenHash');
      const row = await server.app.orm.em
        .fork()
        .getConnection()
        .execute('select * from api_clients where id = ?', [created.client.id]);
      expect(row.length).toBe(1);
      expect(JSON.stringify(row)).not.toContain(created.token);
      expect(JSON.stringify(row)).not.toContain(created.token.slice(12));
      expect(row[0].token_hash).toBe(tokenHash(created.token));
    });

    it('is for staff: a teacher and an API client are refused', async () => {
      const teacher = await server.login('teacher');
      const input = { name: 'x', scopes: ['USERS_READ'] };
      expect(await server.code(teacher, CREATE, { input })).toBe('FORBIDDEN');
      expect(await server.code(everything, CREATE, { input })).toBe('FORBIDDEN');
      expect(await server.code(everything, '{ apiClients { id } }')).toBe('FORBIDDEN');
      expect(await server.code(null, CREATE, { input })).toBe('UNAUTHENTICATED');
    });

    it('refuses a client without a name or without scopes, or with a rate limit out of range', async () => {
      expect(await server.code(staffToken, CREATE, { input: { name: ' ', scopes: ['USERS_READ'] } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await server.code(staffToken, CREATE, { input: { name: 'x', scopes: [] } })).toBe('BAD_USER_INPUT');
      expect(
        await server.code(staffToken, CREATE, { input: { name: 'x', scopes: ['USERS_READ'], requestsPerMinute: 0 } }),
      ).toBe('BAD_USER_INPUT');
    });

    it('records the last use, at most once a minute', async () => {
      const { token, client } = await createClient('last used', ['users:read']);
      expect(client.lastUsedAt).toBeNull();
      const lastUsed = async () =>
        (await server.app.orm.em.fork().findOneOrFail(ApiClient, { id: client.id })).lastUsedAt ?? null;
      const before = Date.now();
      await server.ok(token, '{ users { id } }');
      let first: Date | null = null;
      for (let i = 0; i < 50 && !first; i++) {
        first = await lastUsed();
        if (!first) await new Promise((r) => setTimeout(r, 20));
      }
      expect(first).not.toBeNull();
      expect(first!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      await server.ok(token, '{ users { id } }');
      await server.ok(token, '{ users { id } }');
      await new Promise((r) => setTimeout(r, 200));
      expect((await lastUsed())!.getTime()).toBe(first!.getTime());
      const listed = await server.ok(staffToken, '{ apiClients { id lastUsedAt } }');
      expect(listed.apiClients.find((c: { id: string }) => c.id === client.id).lastUsedAt).toBe(first!.toISOString());
    });
  });

  describe('revocation', () => {
    it('refuses the token over HTTP from the next request on', async () => {
      const { token, client } = await createClient('to revoke', ['users:read']);
      expect((await server.gql(token, '{ users { id } }')).errors).toBeUndefined();
      const revoked = await server.ok(staffToken, REVOKE, { id: client.id });
      expect(revoked.revokeApiClient.revokedAt).not.toBeNull();
      const refused = await server.gql(token, '{ users { id } serverTime }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(refused.errors?.[0]?.message).toContain('revoked');
      expect(await server.code('att_' + 'x'.repeat(43), '{ serverTime }')).toBe('UNAUTHENTICATED');
    });

    it('closes the client’s open WebSocket at once, ending its subscription', async () => {
      const { token, client } = await createClient('socket', ['exams:read']);
      const examId = await createExam(server, staffToken, u);
      // lazy: false reports the close through onNonLazyError; here it is expected
      const ws = wsClient({
        url: server.app.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      const closed = new Promise<number>((resolve) =>
        ws.on('closed', (event) => resolve((event as { code: number }).code)),
      );
      const ended = new Promise<void>((resolve) =>
        ws.subscribe(
          { query: `subscription { examResync(examId: "${examId}") { __typename } }` },
          {
            next: () => undefined,
            error: () => resolve(),
            complete: () => resolve(),
          },
        ),
      );
      // subscribed: the same socket answers a query
      expect(
        (
          await new Promise<{ errors?: unknown }>((resolve) =>
            ws.subscribe(
              { query: '{ exams(periodId: "' + u.periodId + '") { id } }' },
              { next: resolve, error: () => resolve({ errors: 'x' }), complete: () => undefined },
            ),
          )
        ).errors,
      ).toBeUndefined();
      const started = Date.now();
      await server.ok(staffToken, REVOKE, { id: client.id });
      expect(await closed).toBe(4401);
      await ended;
      expect(Date.now() - started).toBeLessThan(2000);
      await ws.dispose();
      // a new socket with the revoked token is refused on its operations
      expect((await errorsOf(token, 'Query', '{ serverTime }'))[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  it('limits each client to its own requests a minute (429 with Retry-After), others unaffected', async () => {
    const { token } = await createClient('busy', ['users:read'], 3);
    for (let i = 0; i < 3; i++) expect((await server.gql(token, '{ serverTime }')).errors).toBeUndefined();
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ serverTime }' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { errors: GqlError[] };
    expect(body.errors[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect((await server.gql(everything, '{ serverTime }')).errors).toBeUndefined();
    // the same count over WebSocket: a query there is refused too
    const ws = server.ws(token);
    const overWs = await new Promise<GqlError[]>((resolve) =>
      ws.subscribe(
        { query: '{ serverTime }' },
        {
          next: (value) => resolve((value.errors ?? []) as GqlError[]),
          error: (errors) => resolve(errors as GqlError[]),
          complete: () => undefined,
        },
      ),
    );
    await ws.dispose();
    expect(overWs[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('names the client (never its token) in its request lines and in a line per operation', async () => {
    const { token, client } = await createClient('logged', ['users:read']);
    const lines: unknown[] = [];
    spyOn(logger, 'isLevelEnabled').and.returnValue(true);
    spyOn(logger, 'info').and.callFake(((line: unknown) => {
      lines.push(line);
    }) as never);
    await server.ok(token, '{ users { id } }');
    await new Promise((r) => setTimeout(r, 100));
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(lines).toContain(
      jasmine.objectContaining({
        event: 'api-client-call',
        apiClient: { id: client.id, name: 'logged' },
        field: 'Query.users',
      }),
    );
    expect(lines).toContain(
      jasmine.objectContaining({
        apiClient: { id: client.id, name: 'logged' },
        req: jasmine.objectContaining({ url: '/graphql' }),
      }),
    );
  });

  it("runs the README's graphql-ws example (scripts/examples/follow-exam.mjs) with a client's token", async () => {
    const { token } = await createClient('example', ['exams:read']);
    const examId = await createExam(server, staffToken, u);
    const script = path.resolve(__dirname, '../../../../scripts/examples/follow-exam.mjs');
    const child = spawn(process.execPath, [script, examId], {
      env: { ...process.env, ATTESTATION_URL: server.url, ATTESTATION_TOKEN: token, MAX_PUSHES: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const connected = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('connected')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await connected;
      await new Promise((r) => setTimeout(r, 500)); // its subscribe message follows the connection's acknowledgement
      const student = await server.login(u.students[0].login);
      await server.ok(student, 'mutation($e: ID!) { enterExam(examId: $e) { id } }', { e: examId });
      expect(await exited)
        .withContext(err)
        .toBe(0);
      const push = JSON.parse(out.trim().split('\n')[0]) as { student: { login: string }; online: boolean };
      expect(push.student.login).toBe(u.students[0].login);
    } finally {
      child.kill();
    }
  });
});
