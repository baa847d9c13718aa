import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { ConfigError, loadConfig, loggingConfig } from './config';
import { startTestServer, type TestServer } from './testing/harness';

const MAIN = path.resolve(__dirname, 'main.js');
const metricsToken = 'spec-metrics-token-0123456789';
/** the Prometheus text, read as a scraper does (with METRICS_TOKEN) */
const scrape = async (base: string) =>
  (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
// the SQLite driver MikroORM uses (it ships no types of its own)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database: new (file: string) => { exec(sql: string): void; close(): void } = require('better-sqlite3');

describe('operating the server', () => {
  describe('health, readiness and metrics', () => {
    let server: TestServer;
    beforeAll(async () => (server = await startTestServer({ metricsToken })));
    afterAll(() => server.stop());

    it('answers /healthz and /readyz with the database (and Redis, when used) checked', async () => {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: Record<string, string> };
      expect(body.checks.database).toBe('ok');
      if (process.env.TEST_REDIS_URL) expect(body.checks.redis).toBe('ok');
    });

    it('counts requests, errors by code, open sockets and subscribers per exam, and the event-loop lag', async () => {
      await server.gql(null, 'mutation { login(login:"nobody", password:"x"){ token } }');
      const socket = new WebSocket(server.app.wsUrl, 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const text = await scrape(server.url);
      socket.close();
      expect(text).toMatch(/attestation_http_requests_total\{route="graphql",method="POST",status="200"\} \d+/);
      expect(text).toMatch(/attestation_graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/);
      expect(text).toMatch(/attestation_open_websockets [1-9]/);
      expect(text).toContain('attestation_exam_subscribers');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });

    it('shows the database pool in use, idle, waiting and its size, and counts failed statements by kind', async () => {
      const text = await scrape(server.url);
      expect(text).toMatch(/^attestation_db_pool_in_use \d+$/m);
      expect(text).toMatch(/^attestation_db_pool_idle \d+$/m);
      expect(text).toMatch(/^attestation_db_pool_waiting 0$/m);
      expect(text).toMatch(
        process.env.TEST_DATABASE_URL ? /^attestation_db_pool_max 10$/m : /^attestation_db_pool_max [1-9]\d*$/m,
      );
      await server.app.orm.em
        .getConnection()
        .execute('select * from no_such_table')
        .catch(() => undefined);
      expect(await scrape(server.url)).toMatch(/^attestation_db_errors_total\{kind="other"\} [1-9]/m);
      if (process.env.TEST_DATABASE_URL) {
        // every PostgreSQL connection carries DATABASE_STATEMENT_TIMEOUT_MS; a statement past its limit is counted as such
        const [shown] = await server.app.orm.em.getConnection().execute('show statement_timeout');
        expect(shown.statement_timeout).toBe('15s');
        await server.app.orm.em
          .fork()
          .transactional(async (em) => {
            await em
              .getConnection()
              .execute(`set local statement_timeout = '50ms'`, [], 'run', em.getTransactionContext());
            await em.getConnection().execute('select pg_sleep(1)', [], 'run', em.getTransactionContext());
          })
          .catch(() => undefined);
        expect(await scrape(server.url)).toMatch(/^attestation_db_errors_total\{kind="statement_timeout"\} 1$/m);
      }
    });

    it('counts errors over the WebSocket by code like those over HTTP', async () => {
      const count = async () =>
        Number(
          /attestation_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} (\d+)/.exec(
            await scrape(server.url),
          )?.[1] ?? 0,
        );
      const before = await count();
      const client = server.ws(null);
      const result = await new Promise<any>((resolve) =>
        client.subscribe(
          { query: 'subscription { noSuchField }' },
          { next: resolve, error: resolve, complete: () => undefined },
        ),
      );
      await client.dispose();
      expect(Array.isArray(result) ? result[0].extensions.code : result.errors?.[0]?.extensions?.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(await count()).toBe(before + 1);
    });

    it('gives every response a request id, keeping one the caller sent', async () => {
      const own = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-1234' } });
      expect(own.headers.get('x-request-id')).toBe('lb-1234');
      const fresh = await fetch(`${server.url}/healthz`);
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('configuration', () => {
    it('is validated with a sentence naming the variable', () => {
      expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(ConfigError, /PORT/);
      expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(ConfigError, /DATABASE_URL/);
      expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrowError(ConfigError, /REDIS_URL/);
      expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrowError(ConfigError, /TIME_ZONE/);
      expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrowError(ConfigError, /SEED_DEMO/);
      expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrowError(ConfigError, /DATABASE_POOL_MAX/);
      expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrowError(
        ConfigError,
        /DATABASE_STATEMENT_TIMEOUT_MS/,
      );
      expect(() => loadConfig({ SHUTDOWN_DELAY_MS: 'soon' })).toThrowError(ConfigError, /SHUTDOWN_DELAY_MS/);
      expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '2.5' })).toThrowError(ConfigError, /SHUTDOWN_GRACE_MS/);
      expect(() => loadConfig({ FILE_URL_SECRET: 'short' })).toThrowError(ConfigError, /FILE_URL_SECRET/);
      expect(loadConfig({ FILE_URL_SECRET: 'a'.repeat(32) }).fileUrlSecret).toBe('a'.repeat(32));
      expect(() => loggingConfig({ LOG_LEVEL: 'verbose' })).toThrowError(ConfigError, /LOG_LEVEL/);
      expect(loggingConfig({ LOG_LEVEL: 'WARN', INSTANCE_ID: 'A' })).toEqual({ level: 'warn', instanceId: 'A' });
      expect(loggingConfig({})).toEqual({ level: 'info', instanceId: undefined });
      expect(loadConfig({}).port).toBe(4000);
      expect(loadConfig({})).toEqual(
        jasmine.objectContaining({
          databasePoolMax: 10,
          databaseStatementTimeoutMs: 15_000,
          shutdownDelayMs: 5000,
          shutdownGraceMs: 25_000,
        }),
      );
    });

    it('stops the start with exit code 2 and that sentence', () => {
      const run = spawnSync(process.execPath, [MAIN], {
        env: { ...process.env, MAX_FILE_MB: '0' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(2);
      const line = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(line.msg).toContain('MAX_FILE_MB');
      expect(line.level).toBe(60);
    });
  });

  describe('a real process', () => {
    const pgBase = process.env.TEST_DATABASE_URL;
    const dbName = `att_ops_${randomBytes(5).toString('hex')}`;
    const dbUrl = pgBase ? Object.assign(new URL(pgBase), { pathname: `/${dbName}` }).toString() : '';
    let dataDir: string;
    let child: ReturnType<typeof spawn>;
    let out = '';
    let url: string;
    let token: string;
    let taskId: string | undefined;
    const lines = () => out.split('\n').filter((l) => l.trim());
    const call = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<any>);
    const metric = async (pattern: RegExp) => Number(pattern.exec(await scrape(url))?.[1] ?? 0);

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-ops-'));
      if (pgBase) {
        const admin = new PgClient({ connectionString: pgBase });
        await admin.connect();
        await admin.query(`create database ${dbName}`);
        await admin.end();
      }
      child = spawn(process.execPath, [MAIN], {
        env: {
          METRICS_TOKEN: metricsToken,
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          SEED_DEMO: 'true',
          LOG_LEVEL: 'info',
          DATABASE_URL: dbUrl,
          REDIS_URL: '',
          SHUTDOWN_DELAY_MS: '1000',
          SHUTDOWN_GRACE_MS: '5000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const up = /Attestation is up: (http:\/\/[^/\s]+)/.exec(out);
          if (up) {
            clearInterval(timer);
            resolve(up[1]);
          }
        }, 50);
        child.once('exit', () => {
          clearInterval(timer);
          reject(new Error(out));
        });
      });
      token = (await call('mutation { login(login:"student01", password:"demo"){ token } }')).data.login.token;
      const years = await call('{ academicYears { id } }');
      for (const year of years.data.academicYears) {
        const mine = await call(`{ myExams(academicYearId:"${year.id}"){ id format startsAt endsAt } }`);
        taskId ??= mine.data.myExams.find(
          (e: any) => e.format === 'TASK' && Date.parse(e.startsAt) < Date.now() && Date.parse(e.endsAt) > Date.now(),
        )?.id;
      }
    }, 90_000);

    afterAll(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (pgBase) {
        const admin = new PgClient({ connectionString: pgBase });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }, 30_000);

    it('logs only JSON lines, with request ids, the seeded credentials as a message, and no passwords, tokens or answer texts', async () => {
      expect(taskId).toBeDefined();
      expect(
        (
          await call('mutation($e:ID!){ saveAnswer(examId:$e, text:"SECRET-ANSWER-TEXT-42") { savedAt } }', {
            e: taskId,
          })
        ).data,
      ).toBeTruthy();
      await call('{ nonsense }');
      expect(lines().length).toBeGreaterThan(3);
      for (const line of lines())
        expect(() => JSON.parse(line))
          .withContext(line)
          .not.toThrow();
      expect(lines().some((l) => JSON.parse(l).req?.id?.match(/^[0-9a-f-]{36}$/))).toBeTrue();
      expect(lines().some((l) => JSON.parse(l).msg.includes('Demo credentials'))).toBeTrue();
      expect(out).not.toContain(token);
      expect(out).not.toContain('"demo"');
      expect(out).not.toContain('SECRET-ANSWER-TEXT-42');
    });

    it('logs a failed save with the request id and operation name, without the statement or the answer, and counts it for HTTP and WebSocket', async () => {
      // the database refuses this one text: a CHECK constraint on PostgreSQL (its detail holds the whole row), a trigger on SQLite
      if (pgBase) {
        const db = new PgClient({ connectionString: dbUrl });
        await db.connect();
        await db.query(`alter table answers add constraint answers_no_fault check (text not like '%FAULT-7%')`);
        await db.end();
      } else {
        const db = new Database(path.join(dataDir, 'attestation.sqlite'));
        db.exec(
          `create trigger answers_no_fault before update on answers when new.text like '%FAULT-7%' begin select raise(abort, 'forced fault'); end`,
        );
        db.close();
      }
      const secret = 'Draft with a private thought FAULT-7 zq';
      const internal = /attestation_graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\} (\d+)/;
      const before = await metric(internal);

      const overHttp = await call(
        'mutation SaveDraft($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t) { savedAt } }',
        { e: taskId, t: secret },
        { 'x-request-id': 'ops-db-fault-1' },
      );
      expect(overHttp.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await metric(internal)).toBe(before + 1);

      const ws = createClient({
        url: url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const overWs = await new Promise<any>((resolve) => {
        ws.subscribe(
          {
            query: 'mutation SaveDraftOverWs($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t) { savedAt } }',
            variables: { e: taskId, t: secret },
          },
          { next: resolve, error: resolve, complete: () => undefined },
        );
      });
      await ws.dispose();
      expect(overWs.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await metric(internal)).toBe(before + 2);
      expect(await metric(/attestation_db_errors_total\{kind="constraint"\} (\d+)/)).toBeGreaterThanOrEqual(2);

      const errors = lines()
        .map((l) => JSON.parse(l))
        .filter((l) => l.level >= 50);
      const http = errors.find((l) => l.reqId === 'ops-db-fault-1');
      expect(http).withContext(JSON.stringify(errors)).toBeDefined();
      expect(http.operation).toBe('SaveDraft');
      expect(http.err.type).toMatch(/Exception|Error/);
      expect(http.err.stack).toContain('\n    at ');
      const overSocket = errors.find((l) => l.operation === 'SaveDraftOverWs');
      expect(overSocket).withContext(JSON.stringify(errors)).toBeDefined();
      expect(overSocket.reqId).toMatch(/^[0-9a-f-]{36}:.+/);
      for (const part of ['private thought', 'FAULT-7', 'update ', secret])
        expect(out).withContext(part).not.toContain(part);
    });

    it('drains on SIGTERM: /readyz 503 at once, responses with Connection: close, sockets closed with 1001, exit 0', async () => {
      const socket = new WebSocket(url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      let ready: Response;
      do ready = await fetch(`${url}/readyz`);
      while (ready.status === 200);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('connection')).toBe('close');
      const during = await fetch(`${url}/healthz`);
      expect(during.status).toBe(200); // still serving while balancers notice
      expect(during.headers.get('connection')).toBe('close');
      expect(await closed).toBe(1001); // told to go away, so the client reconnects elsewhere
      expect(await exited).toBe(0);
      expect(lines().some((l) => JSON.parse(l).msg.includes('SIGTERM'))).toBeTrue();
    });
  });
});
