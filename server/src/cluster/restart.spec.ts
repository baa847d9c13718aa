import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { scratchDatabase, startInstance, type Instance } from './processes';

/**
 * A rolling restart as an operator does it: two instances behind a balancer that health-checks
 * `/readyz`; one gets SIGTERM under a steady load of keep-alive requests, while an upload is still
 * streaming and a save waits on a row lock (a slow query, as PostgreSQL under a long transaction makes it). Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set (`.ci/run` starts both).
 */
const pgBase = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

const DELAY_MS = 3000;
const GRACE_MS = 2000;
const POLL_MS = 100;
/** a balancer takes an instance out after this many failed health checks in a row (POLL_MS × 3 < DELAY_MS) */
const FAILURES_TO_MARK_DOWN = 3;
/** app.ts gives closing Apollo, Redis and the database this long after the grace */
const CLOSE_OUT_MS = 5000;

interface Outcome {
  status?: number;
  connection?: string;
  error?: string;
}

function request(
  url: string,
  agent: http.Agent | false,
  method: string,
  pathname: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const target = new URL(pathname, url);
    const req = http.request(
      target,
      {
        method,
        agent,
        headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

/** the instance's own account of its shutdown, with times, for a failure's message */
const shutdownLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => /shutdown|SIGTERM|SIGINT/.test(line))
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { time?: string; msg?: string };
        return `${entry.time} ${entry.msg}`;
      } catch {
        return line;
      }
    })
    .join('\n');

describe('a rolling restart behind a balancer', () => {
  let a: Instance;
  let b: Instance;
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let token: string;
  let taskId: string;
  let locker: PgClient | undefined;

  const gql = async (url: string, query: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    if (!pgBase || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set for this suite');
    database = await scratchDatabase(pgBase, 'att_cluster');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-restart-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: String(DELAY_MS),
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
    token = (await gql(b.url, 'mutation { login(login:"student01", password:"demo"){ token } }')).data.login.token;
    for (const year of (await gql(b.url, '{ academicYears { id } }')).data.academicYears) {
      const mine = (await gql(b.url, `{ myExams(academicYearId:"${year.id}"){ id format startsAt endsAt } }`)).data
        .myExams;
      taskId ??= mine.find(
        (e: any) => e.format === 'TASK' && Date.parse(e.startsAt) < Date.now() && Date.parse(e.endsAt) > Date.now(),
      )?.id;
    }
  }, 120_000);

  afterAll(async () => {
    await locker?.query('rollback').catch(() => undefined);
    await locker?.end();
    for (const i of [a, b]) if (i && i.process.exitCode === null) i.process.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('drops no request: /readyz turns 503 at once, the rest is served with Connection: close, late requests are cut in time, exit 0', async () => {
    expect(taskId).withContext('the demo has a task exam open for student01').toBeDefined();
    expect(
      (await gql(b.url, `mutation { saveAnswer(examId:"${taskId}", text:"Before the restart") { savedAt } }`)).data,
    ).toBeTruthy();
    const instances = [a, b];
    const agents = new Map(instances.map((i) => [i, new http.Agent({ keepAlive: true, maxSockets: 8 })]));
    const down = new Set<Instance>();
    let a503At = 0;
    let stop = false;

    // the balancer's health checks: fresh connections, like a balancer's own
    const failures = new Map(instances.map((i) => [i, 0]));
    const poller = (async () => {
      while (!stop) {
        for (const i of instances) {
          const ready = await request(i.url, false, 'GET', '/readyz');
          if (i === a && ready.status === 503) a503At ||= Date.now();
          failures.set(i, ready.status === 200 ? 0 : failures.get(i)! + 1);
          if (failures.get(i)! >= FAILURES_TO_MARK_DOWN) down.add(i);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    // steady load through keep-alive connections, spread over the instances the balancer holds up
    const counts = { ok: 0, serverErrors: 0, failures: [] as string[], fromAAfter503: 0, keptAliveAfter503: 0 };
    let turn = 0;
    const body = JSON.stringify({ query: '{ me { id } }' });
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const up = instances.filter((i) => !down.has(i));
        const target = up[turn++ % up.length];
        const sentAfter503 = a503At > 0;
        const outcome = await request(
          target.url,
          agents.get(target)!,
          'POST',
          '/graphql',
          { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        );
        if (outcome.error) counts.failures.push(`${target === a ? 'A' : 'B'}: ${outcome.error}`);
        else if (outcome.status! >= 500) counts.serverErrors++;
        else counts.ok++;
        if (target === a && sentAfter503 && !outcome.error) {
          counts.fromAAfter503++;
          if (outcome.connection !== 'close') counts.keptAliveAfter503++;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1000));

    // an upload that is still streaming when the grace ends: a student on a slow link
    const boundary = 'restart-spec-boundary';
    let uploadOutcome: Outcome | undefined;
    const upload = http.request(
      new URL(`/files/answers/${taskId}`, a.url),
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (uploadOutcome = { status: res.statusCode }));
      },
    );
    const uploadDone = new Promise<void>((resolve) => {
      upload.on('error', (error: NodeJS.ErrnoException) => {
        uploadOutcome = { error: error.code ?? error.message };
        resolve();
      });
      upload.on('close', () => resolve());
    });
    upload.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="essay.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const trickle = setInterval(() => upload.write('slowly '), 100);

    // a save that waits on a row lock another session holds: a query that outlives the grace
    locker = new PgClient({ connectionString: database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query(
      `select a.id from answers a join sittings s on s.id = a.sitting_id join users u on u.id = s.student_id
      where u.login = 'student01' and s.exam_id = $1 for update`,
      [taskId],
    );
    let heldSave: Outcome | undefined;
    const saveDone = request(
      a.url,
      false,
      'POST',
      '/graphql',
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      JSON.stringify({ query: `mutation { saveAnswer(examId:"${taskId}", text:"Held by a lock") { savedAt } }` }),
    ).then((o) => (heldSave = o));
    await new Promise((r) => setTimeout(r, 300));

    const signalledAt = Date.now();
    a.process.kill('SIGTERM');
    const code = await a.exited;
    const exitMs = Date.now() - signalledAt;
    clearInterval(trickle);
    await uploadDone;
    await saveDone;
    await new Promise((r) => setTimeout(r, 300)); // a little load on B alone
    stop = true;
    await Promise.all([...loops, poller]);
    for (const agent of agents.values()) agent.destroy();

    expect(code).toBe(0);
    expect(a503At).withContext('a health check saw /readyz 503 during the drain').toBeGreaterThan(0);
    expect(a503At - signalledAt).toBeLessThan(DELAY_MS); // seen while the instance still served
    expect(counts.failures).withContext('connection resets or refusals').toEqual([]);
    expect(counts.serverErrors).toBe(0);
    expect(counts.ok).toBeGreaterThan(50);
    expect(counts.fromAAfter503).withContext('requests A served after its 503').toBeGreaterThan(0);
    expect(counts.keptAliveAfter503).withContext('responses during the drain without Connection: close').toBe(0);
    // the upload and the locked save outlived the grace: cut, and the waiting query did not hold the exit
    // (its statement_timeout, 15 s, is far beyond this bound)
    expect(uploadOutcome?.error).withContext(JSON.stringify(uploadOutcome)).toBeDefined();
    expect(heldSave?.error).withContext(JSON.stringify(heldSave)).toBeDefined();
    expect(exitMs)
      .withContext(
        `the instance's shutdown lines, SIGTERM sent at ${new Date(signalledAt).toISOString()}:\n${shutdownLines(a.output())}`,
      )
      .toBeLessThan(DELAY_MS + GRACE_MS + CLOSE_OUT_MS + 3000);
    expect(a.output()).toContain('cut 2 request(s)');
  }, 90_000);
});
