import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import type { MikroORM } from '@mikro-orm/core';
import { initORM } from '../orm';
import { formatError } from './error-format';

/** The SQLite connection's queue (common/sqlite-queue.ts), on an SQLite file of its own whatever TEST_DATABASE_URL says. */
describe('SQLite statement queue', () => {
  let dataDir: string;
  let orm: MikroORM;

  const open = (sqliteQueueMax: number) =>
    initORM({
      databaseUrl: undefined,
      dataDir,
      databasePoolMax: 1,
      databaseStatementTimeoutMs: 0,
      migrateOnStart: true,
      sqliteQueueMax,
    });
  const select = () => orm.em.fork().getConnection().execute('select count(*) as n from users');

  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-queue-'))));
  afterEach(async () => {
    await orm.close(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses statements beyond SQLITE_QUEUE_MAX with TOO_MANY_REQUESTS (retry in 1 s) and runs the others', async () => {
    orm = await open(5);
    const results = await Promise.allSettled(Array.from({ length: 40 }, select));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(6);
    expect(refused.length).toBeGreaterThan(0);
    // MikroORM wraps the refusal in its DriverException; the client still reads the refusal, not an internal error
    const formatted = formatError({ message: 'x', path: ['q'] }, new GraphQLError('x', { originalError: refused[0] }));
    expect(formatted.extensions).toEqual({ code: 'TOO_MANY_REQUESTS', retryAfter: 1 });
    expect(formatted.message).toMatch(/busy.*try again/);
  });

  it('keeps WAL, and synchronous=NORMAL unless told FULL', async () => {
    orm = await open(10);
    const pragma = async (name: string) =>
      Object.values((await orm.em.getConnection().execute(`pragma ${name}`))[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1);
    await orm.close(true);
    orm = await initORM({
      databaseUrl: undefined,
      dataDir,
      databasePoolMax: 1,
      databaseStatementTimeoutMs: 0,
      migrateOnStart: false,
      sqliteSynchronous: 'FULL',
    });
    expect(await pragma('synchronous')).toBe(2);
  });
});
