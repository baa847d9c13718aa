import { spawn } from 'node:child_process';
import net from 'node:net';
import {
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  uploadFiles,
  type GqlResult,
  type TestServer,
  type University,
} from '../../testing/harness';
import { ConfigError, loadConfig } from '../../config';
import { queuedPasswordChecks } from './passwords';

const LOGIN = 'mutation($l:String!,$p:String!){ login(login:$l,password:$p){ token } }';

interface Reply {
  status: number;
  retryAfterHeader: string | null;
  body: GqlResult;
  ms: number;
}

/** A GraphQL request over HTTP that keeps the status and the Retry-After header. */
async function post(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const started = Date.now();
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    retryAfterHeader: res.headers.get('retry-after'),
    body: (await res.json()) as GqlResult,
    ms: Date.now() - started,
  };
}

const login = (server: TestServer, l: string, p: string, headers: Record<string, string> = {}) =>
  post(server, LOGIN, { l, p }, headers);
const codeOf = (reply: Reply) => reply.body.errors?.[0]?.extensions?.code;
const retryAfterOf = (reply: Reply) =>
  (reply.body.errors?.[0]?.extensions as { retryAfter?: unknown } | undefined)?.retryAfter;

/** a counter's value, read from the server's registry (what /metrics serves) */
async function metric(server: TestServer, name: string): Promise<number> {
  const text = await server.app.services.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** A refusal for a limit: 429, Retry-After equal to extensions.retryAfter, and a sentence that names the wait. */
function expectTooManyRequests(reply: Reply, maxSeconds: number) {
  expect(codeOf(reply)).toBe('TOO_MANY_REQUESTS');
  expect(reply.status).toBe(429);
  const retryAfter = retryAfterOf(reply);
  expect(typeof retryAfter).toBe('number');
  expect(retryAfter as number).toBeGreaterThanOrEqual(1);
  expect(retryAfter as number).toBeLessThanOrEqual(maxSeconds);
  expect(reply.retryAfterHeader).toBe(String(retryAfter));
  const minutes = Math.ceil((retryAfter as number) / 60);
  expect(reply.body.errors![0].message).toMatch(
    new RegExp(`\\b(${retryAfter} s|${retryAfter} seconds|${minutes} minutes)\\b`),
  );
  expect(JSON.stringify(reply.body)).not.toMatch(/"http"|stacktrace/);
}

describe('login failures per account', () => {
  let server: TestServer;

  beforeAll(async () => {
    // a short lock so the spec can wait it out; slowdown after 3 failures, 40 ms doubling up to 160 ms
    server = await startTestServer({
      loginAccountFailures: 10,
      loginLockSeconds: 2,
      loginSlowdownAfter: 3,
      loginSlowdownMs: 40,
      loginSlowdownMaxMs: 160,
    });
    await seedUniversity(server, 2);
  });
  afterAll(() => server.stop());

  it('slows 50 wrong passwords, then locks: TOO_MANY_REQUESTS with retryAfter, the right password refused while locked, accepted after', async () => {
    const replies: Reply[] = [];
    for (let i = 0; i < 50; i++) replies.push(await login(server, 'teacher', `guess-${i}`));

    // ten failures are told the password is wrong; the slowdown began after the third
    for (const reply of replies.slice(0, 10)) {
      expect(codeOf(reply)).toBe('UNAUTHENTICATED');
      expect(reply.status).toBe(200);
    }
    expect(await metric(server, 'attestation_logins_slowed_total')).toBe(6);
    expect(replies[9].ms).toBeGreaterThanOrEqual(160); // a lower bound: the 10th waited the longest slowdown
    // from the eleventh on: locked, and no password is looked at
    for (const reply of replies.slice(10)) expectTooManyRequests(reply, 2);
    expect(replies[10].body.errors![0].message).toMatch(/locked for 2 seconds/);
    expect(await metric(server, 'attestation_login_locks_total{scope="account"}')).toBe(1);
    expect(await metric(server, 'attestation_rate_limited_total{limit="login-account"}')).toBe(40);

    // the right password is refused too while the lock lasts, so guessing stays useless
    const whileLocked = await login(server, 'teacher', 'pw');
    expectTooManyRequests(whileLocked, 2);
    // the same login in other letter case or with spaces is the same account
    expectTooManyRequests(await login(server, ' TEACHER ', 'pw'), 2);
    // other accounts are untouched
    expect((await login(server, 'staff', 'pw')).body.data?.login?.token).toBeTruthy();

    await sleep((retryAfterOf(whileLocked) as number) * 1000 + 200);
    const after = await login(server, 'teacher', 'pw');
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data!.login.token).toBeTruthy();
  }, 60_000);

  it('forgets the failures of an account after a successful login', async () => {
    for (let i = 0; i < 9; i++) expect(codeOf(await login(server, 's01', 'wrong'))).toBe('UNAUTHENTICATED');
    expect((await login(server, 's01', 'pw')).body.data?.login?.token).toBeTruthy();
    const slowedBefore = await metric(server, 'attestation_logins_slowed_total');
    for (let i = 0; i < 3; i++) expect(codeOf(await login(server, 's01', 'wrong'))).toBe('UNAUTHENTICATED');
    expect(await metric(server, 'attestation_logins_slowed_total')).toBe(slowedBefore); // counting starts again at zero
    expect((await login(server, 's01', 'pw')).body.data?.login?.token).toBeTruthy();
  });

  it('counts parallel guesses too: of 30 at once, at most 10 are checked', async () => {
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => login(server, 's02', `parallel-${i}`)));
    expect(replies.filter((r) => codeOf(r) === 'UNAUTHENTICATED').length).toBe(10);
    expect(replies.filter((r) => codeOf(r) === 'TOO_MANY_REQUESTS').length).toBe(20);
  });
});

describe('login failures per client address', () => {
  let server: TestServer;

  beforeAll(async () => {
    // behind a proxy the address comes from X-Forwarded-For (TRUST_PROXY), which lets the spec play several clients
    server = await startTestServer({
      trustProxy: true,
      loginAddressFailures: 5,
      loginLockSeconds: 60,
      loginSlowdownMs: 0,
    });
    await seedUniversity(server, 3);
  });
  afterAll(() => server.stop());

  it('locks an address that fails across different logins, and only that address', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    for (const l of ['s01', 's02', 's03', 'teacher', 'nobody'])
      expect(codeOf(await login(server, l, 'wrong', attacker))).toBe('UNAUTHENTICATED');
    const refused = await login(server, 'staff', 'wrong', attacker);
    expectTooManyRequests(refused, 60);
    expect(refused.body.errors![0].message).toMatch(/from your address/);
    // even a right password from that address waits
    expectTooManyRequests(await login(server, 'staff', 'pw', attacker), 60);
    expect(await metric(server, 'attestation_login_locks_total{scope="address"}')).toBe(1);
    // another address signs in with the same accounts
    const elsewhere = { 'x-forwarded-for': '198.51.100.20' };
    expect((await login(server, 's01', 'pw', elsewhere)).body.data?.login?.token).toBeTruthy();
    expect((await login(server, 'staff', 'pw', elsewhere)).body.data?.login?.token).toBeTruthy();
  });

  it('does not count successful logins against the address (a classroom behind one address)', async () => {
    const classroom = { 'x-forwarded-for': '192.0.2.50' };
    for (let i = 0; i < 12; i++)
      expect((await login(server, 's02', 'pw', classroom)).body.data?.login?.token).toBeTruthy();
    for (let i = 0; i < 4; i++) expect(codeOf(await login(server, 's03', 'typo', classroom))).toBe('UNAUTHENTICATED');
    expect((await login(server, 's03', 'pw', classroom)).body.data?.login?.token).toBeTruthy();
  });
});

describe('anonymous requests per client address', () => {
  let server: TestServer;

  beforeAll(async () => {
    // TRUST_PROXY off (the default): X-Forwarded-For is not believed
    server = await startTestServer({ anonymousRequestsPerMinute: 5 });
    await seedUniversity(server, 1);
  });
  afterAll(() => server.stop());

  it('refuses GraphQL requests without a valid token beyond the limit, whatever X-Forwarded-For says; signed-in requests go on', async () => {
    const token = (await login(server, 's01', 'pw')).body.data!.login.token as string; // the login is anonymous: 1 of 5
    for (let i = 0; i < 3; i++) expect((await post(server, '{ serverTime }', {})).status).toBe(200);
    expect((await post(server, '{ serverTime }', {}, { authorization: 'Bearer not-a-real-token' })).status).toBe(200); // 5 of 5
    const refused = await post(server, '{ serverTime }', {}, { 'x-forwarded-for': '198.51.100.1' });
    expectTooManyRequests(refused, 60);
    expect(refused.body.data).toBeUndefined();
    expectTooManyRequests(await post(server, '{ me { id } }', {}, { authorization: 'Bearer not-a-real-token' }), 60);
    expectTooManyRequests(await login(server, 's01', 'pw'), 60);
    const signedIn = await post(server, '{ me { login } }', {}, { authorization: `Bearer ${token}` });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.data).toEqual({ me: { login: 's01' } });
    expect(await metric(server, 'attestation_rate_limited_total{limit="anonymous"}')).toBe(3);
  });
});

describe('saves and uploads per student', () => {
  let server: TestServer;
  let u: University;
  let tokens: string[];
  let examId: string;
  const SAVE = 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ status } }';

  beforeAll(async () => {
    server = await startTestServer({ savesPerMinute: 4 });
    u = await seedUniversity(server, 2);
    const staff = await server.login('staff');
    tokens = await Promise.all(u.students.map((s) => server.login(s.login)));
    examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Describe the normal forms.',
    });
  });
  afterAll(() => server.stop());

  it('counts saveAnswer and answer uploads together per student, refuses beyond with a retry time, and never limits sending', async () => {
    const [mine, other] = tokens;
    const save = (token: string, t: string) =>
      post(server, SAVE, { e: examId, t }, { authorization: `Bearer ${token}` });
    for (let i = 0; i < 3; i++)
      expect((await save(mine, `My answer, version ${i}`)).body.data?.saveAnswer.status).toBe('DRAFT');
    const uploaded = await uploadFiles(server, mine, `/files/answers/${examId}`, [
      { name: 'a.txt', content: 'a file of the answer' },
    ]);
    expect(uploaded.status).toBe(201);

    const refusedSave = await save(mine, 'My answer, version 4');
    expectTooManyRequests(refusedSave, 60);
    const refusedUpload = await uploadFiles(server, mine, `/files/answers/${examId}`, [
      { name: 'b.txt', content: 'another file' },
    ]);
    expect(refusedUpload.status).toBe(429);
    expect(refusedUpload.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(refusedUpload.body.error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refusedUpload.body.error.message).toContain(String(refusedUpload.body.error.retryAfter));

    // nothing of the refused requests was kept
    const mySitting = await server.ok(
      mine,
      'query($e:ID!){ exam(id:$e){ mySitting { answer { text files { name } } } } }',
      { e: examId },
    );
    expect(mySitting.exam.mySitting.answer).toEqual({ text: 'My answer, version 2', files: [{ name: 'a.txt' }] });
    // another student is not affected, and the deadline's own action is never limited
    expect((await save(other, 'The other student saves')).body.data?.saveAnswer.status).toBe('DRAFT');
    const sent = await post(
      server,
      'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }',
      { e: examId, t: 'My answer, final' },
      { authorization: `Bearer ${mine}` },
    );
    expect(sent.body.data?.submitAnswer.status).toBe('SUBMITTED');
  });
});

describe('password hashing beside file transfers', () => {
  let server: TestServer;
  let staff: string;
  let fileUrl: string;
  const bytes = Buffer.alloc(4 * 1024 * 1024, 7);

  beforeAll(async () => {
    server = await startTestServer({ passwordHashConcurrency: 1, passwordHashQueue: 100, loginSlowdownMs: 0 });
    const u = await seedUniversity(server, 1);
    staff = await server.login('staff');
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Read the attached file.',
    });
    const up = await uploadFiles(server, staff, `/files/exams/${examId}/task`, [{ name: 'big.bin', content: bytes }]);
    expect(up.status).toBe(201);
    fileUrl = up.body.files[0].url;
  });
  afterAll(() => server.stop());

  it('lets a download finish while 50 logins wait their turn for scrypt', async () => {
    let answered = 0;
    const flood = Array.from({ length: 50 }, (_, i) =>
      login(server, `flood-${i}`, 'wrong').then((r) => {
        answered++;
        return r;
      }),
    );
    await sleep(50); // the logins are in: one derives, the rest queue
    const res = await fetch(`${server.url}${fileUrl.split('?')[0]}`, { headers: { authorization: `Bearer ${staff}` } });
    const body = Buffer.from(await res.arrayBuffer());
    const stillQueued = queuedPasswordChecks();
    const answeredAtDownload = answered;
    expect(res.status).toBe(200);
    expect(body.equals(bytes)).toBeTrue();
    expect(stillQueued).toBeGreaterThan(0);
    expect(answeredAtDownload).toBeLessThan(50);
    const replies = await Promise.all(flood);
    expect(replies.every((r) => codeOf(r) === 'UNAUTHENTICATED')).toBeTrue();
  }, 60_000);
});

describe('password checks beyond the queue', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ passwordHashConcurrency: 1, passwordHashQueue: 3, loginSlowdownMs: 0 });
    await seedUniversity(server, 1);
  });
  afterAll(() => server.stop());

  it('are refused at once with TOO_MANY_REQUESTS, never a server error, and the server keeps answering', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login(server, `busy-${i}`, 'wrong')));
    const codes = replies.map(codeOf);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(4);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'UNAUTHENTICATED' || c === 'TOO_MANY_REQUESTS')).toBeTrue();
    for (const reply of replies.filter((r) => codeOf(r) === 'TOO_MANY_REQUESTS')) expectTooManyRequests(reply, 10);
    expect((await login(server, 's01', 'pw')).body.data?.login?.token).toBeTruthy();
  });
});

/** A Redis of the spec's own on a free port, so stopping it harms no one else. */
async function startOwnRedis(onPort?: number): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port =
    onPort ??
    (await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    }));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net
        .connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        })
        .on('error', () => resolve(false));
    });
    if (up) break;
    await sleep(50);
  }
  return {
    url,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('rate limits when Redis goes away', () => {
  let server: TestServer;
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startTestServer({
      redisUrl: redis.url,
      loginAccountFailures: 3,
      loginLockSeconds: 60,
      loginSlowdownMs: 0,
    });
    await seedUniversity(server, 2);
  });
  afterAll(async () => {
    redis = await startOwnRedis(redis.port); // back, so the server's Redis connections close cleanly
    await server.stop();
    await redis.stop();
  });

  it('go on counting in the process: no request fails, and a lock still locks', async () => {
    expect((await login(server, 's01', 'pw')).body.data?.login?.token).toBeTruthy();
    await redis.stop();
    const replies: Reply[] = [];
    for (let i = 0; i < 5; i++) replies.push(await login(server, 's02', 'wrong'));
    expect(replies.map(codeOf)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    expect(replies.every((r) => r.status < 500)).toBeTrue();
    expectTooManyRequests(replies[4], 60);
    expect((await login(server, 's01', 'pw')).body.data?.login?.token).toBeTruthy();
  }, 30_000);
});

describe('rate-limit settings', () => {
  it('read TRUST_PROXY as a flag, a number of hops or addresses, and refuse anything else naming the variable', () => {
    expect(loadConfig({}).trustProxy).toBeFalse();
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBeTrue();
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8, fd00::1',
    );
    expect(() => loadConfig({ TRUST_PROXY: 'nginx.local' })).toThrowError(ConfigError, /TRUST_PROXY.*nginx\.local/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/abc' })).toThrowError(ConfigError, /TRUST_PROXY/);
  });

  it('have the documented defaults, in the units the server uses', () => {
    const config = loadConfig({});
    expect([
      config.loginAccountFailures,
      config.loginAddressFailures,
      config.loginFailureWindowSeconds,
      config.loginLockSeconds,
    ]).toEqual([10, 200, 900, 900]);
    expect([config.loginSlowdownAfter, config.loginSlowdownMs, config.loginSlowdownMaxMs]).toEqual([3, 500, 4000]);
    expect([config.savesPerMinute, config.anonymousRequestsPerMinute]).toEqual([120, 600]);
    expect([config.passwordHashConcurrency, config.passwordHashQueue, config.fileUrlTtlMs]).toEqual([
      1,
      200,
      15 * 60_000,
    ]);
    expect(loadConfig({ LOGIN_LOCK_MINUTES: '2', FILE_URL_TTL_MINUTES: '5' })).toEqual(
      jasmine.objectContaining({ loginLockSeconds: 120, fileUrlTtlMs: 300_000 }),
    );
  });

  it('refuse values that would turn a limit off or make no sense, naming the variable', () => {
    for (const name of [
      'LOGIN_ACCOUNT_FAILURES',
      'LOGIN_ADDRESS_FAILURES',
      'LOGIN_LOCK_MINUTES',
      'SAVES_PER_MINUTE',
      'ANONYMOUS_REQUESTS_PER_MINUTE',
      'PASSWORD_HASH_CONCURRENCY',
      'FILE_URL_TTL_MINUTES',
    ]) {
      expect(() => loadConfig({ [name]: '0' }))
        .withContext(name)
        .toThrowError(ConfigError, new RegExp(name));
      expect(() => loadConfig({ [name]: 'lots' }))
        .withContext(name)
        .toThrowError(ConfigError, new RegExp(name));
    }
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'has spaces' })).toThrowError(ConfigError, /REDIS_KEY_PREFIX/);
  });
});
