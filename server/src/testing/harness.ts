import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { createApp, type RunningApp } from '../app';
import { loadConfig, type Config } from '../config';
import { hashPassword } from '../modules/auth/passwords';
import { AcademicYear, Discipline, Period } from '../modules/calendar/calendar.entity';
import { Role, User } from '../modules/users/user.entity';

/**
 * Shared test helpers: every spec file starts the real server on a free port with a
 * fresh database — a new SQLite file, or a new PostgreSQL database when
 * TEST_DATABASE_URL points at a server (CI runs the suite both ways).
 */
export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class TestServer {
  constructor(
    readonly app: RunningApp,
    private readonly cleanup: () => Promise<void>,
  ) {}

  get url() {
    return this.app.url;
  }

  async gql<T = any>(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GqlResult<T>> {
    const res = await fetch(`${this.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  }

  /** data, or a thrown error naming the GraphQL errors (for steps that must succeed) */
  async ok<T = any>(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.gql<T>(token, query, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** the extensions.code of the first error (for steps that must be refused) */
  async code(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<string | undefined> {
    const result = await this.gql(token, query, variables);
    return result.errors?.[0]?.extensions?.code;
  }

  async login(login: string, password = 'pw'): Promise<string> {
    const data = await this.ok(null, 'mutation($l:String!,$p:String!){ login(login:$l,password:$p){ token } }', {
      l: login,
      p: password,
    });
    return data.login.token;
  }

  ws(token: string | null): WsClient {
    return createClient({
      url: this.app.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: false,
    });
  }

  stop() {
    return this.cleanup();
  }
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-spec-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  const pgBase = process.env.TEST_DATABASE_URL;
  if (pgBase) {
    const name = `att_spec_${randomBytes(6).toString('hex')}`;
    const admin = new PgClient({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(pgBase);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new PgClient({ connectionString: pgBase });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const redisUrl = process.env.TEST_REDIS_URL || undefined;
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl,
      redisUrl,
      seedDemo: false,
      heartbeatMs: 500,
      presenceTtlMs: 1500,
      clientDir: undefined,
      shutdownDelayMs: 0,
      // every spec's requests come from 127.0.0.1: the per-address and per-student limits are set high here and tried in their own specs
      loginAddressFailures: 100_000,
      anonymousRequestsPerMinute: 100_000,
      savesPerMinute: 100_000,
      // drafts are sent at the end only when a spec sweeps (auto-send.spec.ts), not by a tick in the middle of another spec
      autoSendSweepMs: 3_600_000,
      // webhooks are delivered when a spec asks (webhooks.spec.ts), so the poll's statement never lands inside a
      // statement-count spec's window (it did, now and then, on both databases)
      webhookPollMs: 3_600_000,
      // each server its own keys in the shared Redis; servers meant to share limits pass the same prefix
      redisKeyPrefix: `att-spec-${randomBytes(6).toString('hex')}`,
      // a known session stays known however long a spec's set-up took, so the statement counts do not depend on it
      // (its expiry and every revocation still end it at once; the time to live is tried in session-cache.spec.ts)
      sessionCacheTtlMs: 3_600_000,
      ...overrides,
    },
  );
  const app = await createApp(config);
  return new TestServer(app, async () => {
    await app.stop();
    await dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

export interface University {
  staff: User;
  teacher: User;
  otherTeacher: User;
  students: User[];
  periodId: string;
  otherPeriodId: string;
  yearId: string;
  disciplineId: string;
}

/** People and a calendar written straight to the database (every password is "pw"); exams go through the API. */
export async function seedUniversity(server: TestServer, studentCount = 3): Promise<University> {
  const em = server.app.orm.em.fork();
  const passwordHash = await hashPassword('pw');
  const person = (login: string, role: Role) =>
    em.create(User, { login, fullName: `Test ${login}`, role, passwordHash });
  const staff = person('staff', Role.STAFF);
  const teacher = person('teacher', Role.TEACHER);
  const otherTeacher = person('teacher2', Role.TEACHER);
  const students = Array.from({ length: studentCount }, (_, i) =>
    person(`s${String(i + 1).padStart(2, '0')}`, Role.STUDENT),
  );
  const year = em.create(AcademicYear, { title: '2026-2027', startsOn: '2026-09-01', endsOn: '2027-06-30' });
  const period = em.create(Period, {
    academicYear: year,
    number: 1,
    title: 'Autumn',
    startsOn: '2026-09-01',
    endsOn: '2026-12-31',
  });
  const other = em.create(Period, {
    academicYear: year,
    number: 2,
    title: 'Spring',
    startsOn: '2027-01-11',
    endsOn: '2027-06-30',
  });
  const discipline = em.create(Discipline, { code: 'DB-1', title: 'Databases' });
  await em.flush();
  return {
    staff,
    teacher,
    otherTeacher,
    students,
    periodId: period.id,
    otherPeriodId: other.id,
    yearId: year.id,
    disciplineId: discipline.id,
  };
}

export const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

export const CREATE_EXAM = `mutation($input: ExamInput!) { createExam(input: $input) { id } }`;

/** Creates an exam through the API as staff; defaults: tickets, student choice, open from a minute ago for an hour. */
export async function createExam(
  server: TestServer,
  staffToken: string,
  u: University,
  input: Record<string, unknown> = {},
): Promise<string> {
  const data = await server.ok(staffToken, CREATE_EXAM, {
    input: {
      periodId: u.periodId,
      disciplineId: u.disciplineId,
      teacherId: u.teacher.id,
      startsAt: minutes(-1),
      endsAt: minutes(60),
      format: 'TICKETS',
      ticketAssignment: 'STUDENT_CHOICE',
      studentIds: u.students.map((s) => s.id),
      ...input,
    },
  });
  return data.createExam.id;
}

export async function addTickets(
  server: TestServer,
  staffToken: string,
  examId: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const data = await server.ok(
      staffToken,
      'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id } }',
      { e: examId, n, q: `Questions of ticket ${n}` },
    );
    ids.push(data.addTicket.id);
  }
  return ids;
}

/** Resolves with the first `count` pushes of a subscription. */
export function nextPushes<T = any>(
  client: WsClient,
  query: string,
  variables: Record<string, unknown>,
  count = 1,
  timeoutMs = 5000,
): { done: Promise<T[]>; started: Promise<void> } {
  const pushes: T[] = [];
  let markStarted: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      dispose();
      reject(new Error(`expected ${count} push(es), got ${pushes.length}`));
    }, timeoutMs);
    const dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) {
            clearTimeout(timer);
            dispose();
            reject(new Error(JSON.stringify(value.errors)));
            return;
          }
          pushes.push(value.data as T);
          if (pushes.length >= count) {
            clearTimeout(timer);
            dispose();
            resolve(pushes);
          }
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => undefined,
      },
    );
    setTimeout(() => markStarted(), 150);
  });
  return { done, started };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One part of a hand-built multipart upload; `name` goes into filename="…" byte for byte (UTF-8). */
export interface UploadPart {
  name: string;
  content: string | Buffer;
  contentType?: string;
  field?: string;
}

export interface UploadResult {
  status: number;
  body: any;
}

/** POSTs a multipart/form-data body built by hand (so file names are sent exactly as given) to a /files endpoint. */
export async function uploadFiles(
  server: TestServer,
  token: string | null,
  endpoint: string,
  parts: UploadPart[],
): Promise<UploadResult> {
  const boundary = `----spec${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const name = part.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename="${name}"\r\n` +
          `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await fetch(`${server.url}${endpoint}`, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: Buffer.concat(chunks),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the spec will see the raw text
  }
  return { status: res.status, body };
}

/** Moves an exam's times (and anything else in `input`) through updateExam as staff, keeping the rest as createExam's defaults. */
export async function updateExam(
  server: TestServer,
  staffToken: string,
  u: University,
  examId: string,
  input: Record<string, unknown>,
): Promise<void> {
  await server.ok(
    staffToken,
    'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
    {
      id: examId,
      input: {
        periodId: u.periodId,
        disciplineId: u.disciplineId,
        teacherId: u.teacher.id,
        startsAt: minutes(-1),
        endsAt: minutes(60),
        format: 'TICKETS',
        ticketAssignment: 'STUDENT_CHOICE',
        studentIds: u.students.map((s) => s.id),
        ...input,
      },
    },
  );
}
