import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';

/** Helpers of the cluster suite: real `node server/dist/main.js` processes on one PostgreSQL database. */
export interface Instance {
  url: string;
  process: ChildProcess;
  /** everything it printed so far */
  output(): string;
  /** its exit code, once it exits */
  exited: Promise<number | null>;
}

const MAIN = path.resolve(__dirname, '../main.js');

export function startInstance(env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const up = /Attestation is up: (http:\/\/[^/\s]+)/.exec(out);
      if (up) {
        clearTimeout(timer);
        resolve({ url: up[1], process: child, output: () => out, exited });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then((code) => reject(new Error(`instance exited with ${code}:\n${out}`)));
  });
}

/** A fresh database on the PostgreSQL server of TEST_DATABASE_URL; `drop` removes it. */
export async function clusterDatabase(pgBase: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `att_cluster_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new PgClient({ connectionString: pgBase });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(pgBase);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
