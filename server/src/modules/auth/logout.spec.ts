import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import {
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';
import { AuthSession } from './auth-session.entity';

const BOARD = 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id } }';
const TASK = 'query($e:ID!){ exam(id:$e){ task { files { id url } } } }';

/** A graphql-ws client that records how its socket closed, and a subscription that records how it ended. */
function socket(server: TestServer, token: string) {
  const closes: number[] = [];
  let opened!: () => void;
  const connected = new Promise<void>((resolve) => (opened = resolve));
  const client: Client = createClient({
    url: server.app.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => opened(), closed: (event) => closes.push((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
  let ended: unknown = null;
  const subscribe = (query: string, variables: Record<string, unknown>) =>
    client.subscribe(
      { query, variables },
      { next: () => undefined, error: (error) => (ended = error), complete: () => (ended = 'complete') },
    );
  return { client, closes, connected, subscribe, ended: () => ended };
}

async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function download(server: TestServer, url: string) {
  const res = await fetch(`${server.url}${url}`);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('logout ends everything of its session', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let examId: string;

  beforeAll(async () => {
    server = await startTestServer({ fileUrlTtlMs: 3000 });
    u = await seedUniversity(server, 2);
    staff = await server.login('staff');
    examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Read the attached file.',
    });
    const up = await uploadFiles(server, staff, `/files/exams/${examId}/task`, [
      { name: 'task.txt', content: 'the task in a file' },
    ]);
    expect(up.status).toBe(201);
  });
  afterAll(() => server.stop());

  it("closes the session's sockets with 4401 at logout, ending their subscriptions, and leaves another session's socket open", async () => {
    const [first, second] = [await server.login('s01'), await server.login('s01')];
    const a = socket(server, first);
    const b = socket(server, second);
    try {
      await Promise.all([a.connected, b.connected]);
      a.subscribe(BOARD, { e: examId });
      b.subscribe(BOARD, { e: examId });
      await sleep(150);

      expect((await server.ok(first, 'mutation { logout }')).logout).toBeTrue();
      await until(() => a.closes.length > 0, 5000, 'the logged-out socket to close');
      expect(a.closes).toEqual([4401]);
      expect(a.ended()).not.toBeNull(); // the subscription ended with the socket

      // the other session's socket still works and its subscription still hears the exam
      await sleep(200);
      expect(b.closes).toEqual([]);
      expect(b.ended()).toBeNull();
      const me = await new Promise<any>((resolve, reject) =>
        b.client.subscribe(
          { query: '{ me { login } }' },
          { next: (v) => resolve(v.data), error: reject, complete: () => undefined },
        ),
      );
      expect(me).toEqual({ me: { login: 's01' } });
    } finally {
      await Promise.all([a.client.dispose(), b.client.dispose()]);
    }
  });

  it('answers a logout sent over the socket itself, then closes it with 4401', async () => {
    const token = await server.login('s02');
    const s = socket(server, token);
    try {
      await s.connected;
      const result = await new Promise<any>((resolve, reject) =>
        s.client.subscribe(
          { query: 'mutation { logout }' },
          { next: (v) => resolve(v), error: reject, complete: () => undefined },
        ),
      );
      expect(result.data).toEqual({ logout: true });
      await until(() => s.closes.length > 0, 5000, 'the socket to close');
      expect(s.closes).toEqual([4401]);
      expect((await server.gql(token, '{ me { id } }')).data?.me).toBeNull();
    } finally {
      await s.client.dispose();
    }
  });

  it('closes a socket with 4401 when its session expires', async () => {
    const token = await server.login('s02');
    const em = server.app.orm.em.fork();
    const session = (
      await em.find(AuthSession, { user: u.students[1].id }, { orderBy: { createdAt: 'desc' }, limit: 1 })
    )[0];
    session.expiresAt = new Date(Date.now() + 1000);
    await em.flush();
    const s = socket(server, token);
    try {
      await s.connected;
      s.subscribe(BOARD, { e: examId });
      await until(() => s.closes.length > 0, 5000, 'the expired socket to close');
      expect(s.closes).toEqual([4401]);
    } finally {
      await s.client.dispose();
    }
  });

  it('closes each socket when its own session expires: the earlier first, the later one only at its time', async () => {
    const later = await server.login('s02');
    const earlier = await server.login('s01');
    const em = server.app.orm.em.fork();
    const expiring = async (studentIndex: number, inMs: number) => {
      const [session] = await em.find(
        AuthSession,
        { user: u.students[studentIndex].id },
        { orderBy: { createdAt: 'desc' }, limit: 1 },
      );
      session.expiresAt = new Date(Date.now() + inMs);
    };
    await expiring(1, 2500);
    await expiring(0, 800);
    await em.flush();
    // the later one opens first, so the earlier expiry must move the shared timer forward
    const b = socket(server, later);
    const a = socket(server, earlier);
    try {
      await Promise.all([a.connected, b.connected]);
      a.subscribe(BOARD, { e: examId });
      b.subscribe(BOARD, { e: examId });
      await until(() => a.closes.length > 0, 5000, 'the earlier session’s socket to close');
      expect(a.closes).toEqual([4401]);
      expect(b.closes).withContext('the later session still runs').toEqual([]);
      await until(() => b.closes.length > 0, 5000, 'the later session’s socket to close');
      expect(b.closes).toEqual([4401]);
    } finally {
      await a.client.dispose();
      await b.client.dispose();
    }
  });

  it('gives signed links that work without a token until their session logs out', async () => {
    const first = await server.login('staff');
    const second = await server.login('staff');
    const url = (await server.ok(first, TASK, { e: examId })).exam.task.files[0].url as string;
    const otherUrl = (await server.ok(second, TASK, { e: examId })).exam.task.files[0].url as string;
    expect(url).toMatch(/\?access=/);
    const before = await download(server, url);
    expect(before.status).toBe(200);
    expect(before.body.toString()).toBe('the task in a file');

    await server.ok(first, 'mutation { logout }');
    const after = await download(server, url);
    expect([401, 404]).toContain(after.status);
    expect(after.body.toString()).not.toContain('the task in a file');
    // the link of a session that goes on still works
    expect((await download(server, otherUrl)).status).toBe(200);
  });

  it('refuses a signed link once it has expired, and a link whose session id was swapped', async () => {
    const token = await server.login('staff');
    const other = await server.login('staff');
    const url = (await server.ok(token, TASK, { e: examId })).exam.task.files[0].url as string;
    const otherUrl = (await server.ok(other, TASK, { e: examId })).exam.task.files[0].url as string;
    // another live session's id with this link's signature and expiry is a forgery
    const [, otherSession] = /access=([^.]+)\./.exec(otherUrl)!;
    const swapped = url.replace(/access=[^.]+\./, `access=${otherSession}.`);
    expect((await download(server, swapped)).status).toBe(401);
    expect((await download(server, url)).status).toBe(200);
    await sleep(3200); // FILE_URL_TTL of this server: 3 s
    expect((await download(server, url)).status).toBe(401);
    // a fresh link for the same session works again
    const fresh = (await server.ok(token, TASK, { e: examId })).exam.task.files[0].url as string;
    expect((await download(server, fresh)).status).toBe(200);
  });
});

// two servers on one database and one Redis, as two instances behind a balancer: only where both exist (the PostgreSQL run)
if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL)
  describe('logout on one instance', () => {
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      const redisKeyPrefix = `att-spec-${randomBytes(6).toString('hex')}`;
      a = await startTestServer({ redisKeyPrefix });
      await seedUniversity(a, 1);
      const databaseUrl = a.app.services.config.databaseUrl!;
      b = await startTestServer({ redisKeyPrefix, databaseUrl });
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
    });

    it('closes the sockets of that session on the other instance too', async () => {
      const token = await a.login('s01');
      const keep = await b.login('s01');
      const onB = socket(b, token);
      const keptOnB = socket(b, keep);
      try {
        await Promise.all([onB.connected, keptOnB.connected]);
        await a.ok(token, 'mutation { logout }');
        await until(() => onB.closes.length > 0, 5000, 'the socket on the other instance to close');
        expect(onB.closes).toEqual([4401]);
        await sleep(200);
        expect(keptOnB.closes).toEqual([]);
      } finally {
        await Promise.all([onB.client.dispose(), keptOnB.client.dispose()]);
      }
    });
  });
