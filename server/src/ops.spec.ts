import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from './config';
import { startTestServer, type TestServer } from './testing/harness';

const MAIN = path.resolve(__dirname, 'main.js');

describe('operating the server', () => {
  describe('health, readiness and metrics', () => {
    let server: TestServer;
    const metricsToken = 'spec-metrics-token-0123456789';
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
      const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      socket.close();
      expect(text).toMatch(/attestation_http_requests_total\{route="graphql",method="POST",status="200"\} \d+/);
      expect(text).toMatch(/attestation_graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/);
      expect(text).toMatch(/attestation_open_websockets [1-9]/);
      expect(text).toContain('attestation_exam_subscribers');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
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
      expect(loadConfig({}).port).toBe(4000);
    });

    it('stops the start with exit code 2 and that sentence', () => {
      const run = spawnSync(process.execPath, [MAIN], { env: { ...process.env, MAX_FILE_MB: '0' }, encoding: 'utf8', timeout: 20_000 });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('MAX_FILE_MB');
    });
  });

  describe('a real process', () => {
    it('logs JSON with request ids but no passwords, tokens or answer texts, and shuts down cleanly on SIGTERM', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-ops-'));
      const child = spawn(process.execPath, [MAIN], {
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setInterval(() => {
            const up = /Attestation is up: (http:\/\/[^/\s]+)/.exec(out);
            if (up) { clearInterval(timer); resolve(up[1]); }
          }, 50);
          child.once('exit', () => { clearInterval(timer); reject(new Error(out)); });
        });
        const call = (token: string | null, query: string) => fetch(`${url}/graphql`, {
          method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query }),
        }).then((r) => r.json() as Promise<any>);
        const token = (await call(null, 'mutation { login(login:"student01", password:"demo"){ token } }')).data.login.token;
        const exams = await call(token, '{ academicYears { id } }');
        for (const year of exams.data.academicYears) {
          const mine = await call(token, `{ myExams(academicYearId:"${year.id}"){ id format startsAt endsAt } }`);
          const task = mine.data.myExams.find((e: any) => e.format === 'TASK' && Date.parse(e.startsAt) < Date.now() && Date.parse(e.endsAt) > Date.now());
          if (task) await call(token, `mutation { saveAnswer(examId:"${task.id}", text:"SECRET-ANSWER-TEXT-42") { savedAt } }`);
        }
        const socket = new WebSocket(url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
        await new Promise((resolve) => socket.once('open', resolve));
        const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await closed).toBe(1001); // told to go away, so the client reconnects elsewhere
        expect(await exited).toBe(0);

        const jsonLines = out.split('\n').filter((l) => l.startsWith('{'));
        expect(jsonLines.length).toBeGreaterThan(3);
        expect(jsonLines.some((l) => /"reqId":"[0-9a-f-]{36}"/.test(l) || /"id":"[0-9a-f-]{36}"/.test(l))).toBeTrue();
        expect(out).not.toContain(token);
        expect(out).not.toContain('"demo"');
        expect(out).not.toContain('SECRET-ANSWER-TEXT-42');
        expect(out).toContain('SIGTERM');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
