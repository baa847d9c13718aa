import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createClient, type Client as WsClient } from 'graphql-ws';

/**
 * Helpers of the cluster suite: real server processes (`node server/dist/main.js`), a database of
 * their own on TEST_DATABASE_URL, a Redis of their own when a spec must stop it, and clients.
 */
export interface Instance {
  url: string;
  process: ChildProcess;
  /** the exit code once it exited (null while it runs) */
  exitCode: () => number | null;
  /** everything it printed */
  output: () => string;
  /** its exit code, once it exits */
  exited: Promise<number | null>;
}

const MAIN = path.resolve(__dirname, '../main.js');

export function startInstance(env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let exitCode: number | null = null;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const up = /Attestation is up: (http:\/\/[^/\s]+)/.exec(out);
      if (up) {
        clearTimeout(timer);
        resolve({ url: up[1], process: child, exitCode: () => exitCode, output: () => out, exited });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 : -1);
      reject(new Error(`instance exited with ${code}:\n${out}`));
    });
  });
}

/** a fresh database on TEST_DATABASE_URL; `drop` removes it */
export async function scratchDatabase(
  pgBase: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new PgClient({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgBase);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new PgClient({ connectionString: pgBase });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A redis-server of the spec's own (never the shared one), so it can be killed and started again on its port. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  up(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'redis-server',
        ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      this.child = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
    });
  }

  /** SIGKILL: Redis vanishes as in a crash, with everything it held */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

export async function gql(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

export async function login(url: string, name: string): Promise<string> {
  return (await gql(url, null, 'mutation($l:String!){ login(login:$l, password:"demo"){ token } }', { l: name })).data
    .login.token;
}

export function ws(url: string, token: string): WsClient {
  return createClient({
    url: url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

/** Collects pushes of one subscription; `until` waits for one that matches. */
export function listen(client: WsClient, query: string, variables: Record<string, unknown>) {
  const pushes: any[] = [];
  const times: number[] = [];
  const errors: unknown[] = [];
  const waiters: { match: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        pushes.push(value.data);
        times.push(Date.now());
        for (const w of [...waiters])
          if (w.match(value.data)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(value.data);
          }
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    pushes,
    errors,
    /** when each push arrived (Date.now()) */
    times,
    dispose,
    until: (match: (p: any) => boolean, timeoutMs = 8000) =>
      new Promise<any>((resolve, reject) => {
        const found = pushes.find(match);
        if (found) return resolve(found);
        const timer = setTimeout(
          () =>
            reject(new Error(`no matching push within ${timeoutMs} ms; got ${JSON.stringify(pushes).slice(0, 2000)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      }),
  };
}
