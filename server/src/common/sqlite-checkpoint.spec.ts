import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../testing/harness';
import { sqliteFile } from '../orm';
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from './sqlite-checkpoint';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQLite checkpoints off the event loop (SQLITE_CHECKPOINT_MS)', () => {
  /** a SQLite server (whatever TEST_DATABASE_URL says: this is SQLite's duty) with its own data directory */
  async function sqliteServer(sqliteCheckpointMs: number): Promise<{ server: TestServer; file: string }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-checkpoint-'));
    const server = await startTestServer({ dataDir, databaseUrl: undefined, sqliteCheckpointMs });
    const stop = server.stop.bind(server);
    server.stop = async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return { server, file: sqliteFile(dataDir) };
  }

  const TWO_MB = 2 * 1024 * 1024;

  /**
   * Writes 2 MB (512 overflow pages: under SQLite's own mark of 1,000), then how the database file grew: as soon as it
   * grew by as much, else after `waitMs` (a busy machine may start the thread late). Exactly 2 MB once copied: the
   * table's own pages were copied before the size was taken (on a busy machine they may come late and add a page).
   */
  async function growthAfterWrite(server: TestServer, file: string, waitMs: number): Promise<number> {
    const connection = server.app.orm.em.getConnection();
    await connection.execute('create table checkpoint_probe (data blob)');
    await sleep(300); // the table's own pages checkpointed (or not) before the size is taken
    const before = fs.statSync(file).size;
    await connection.execute(`insert into checkpoint_probe (data) values (randomblob(${TWO_MB}))`);
    const until = Date.now() + waitMs;
    while (fs.statSync(file).size - before < TWO_MB && Date.now() < until) await sleep(50);
    return fs.statSync(file).size - before;
  }

  it('copies the WAL into the database file from a thread of its own; commits keep only a far higher mark', async () => {
    const { server, file } = await sqliteServer(50);
    try {
      const [{ wal_autocheckpoint: mark }] = await server.app.orm.em
        .getConnection()
        .execute<{ wal_autocheckpoint: number }[]>('pragma wal_autocheckpoint');
      expect(mark).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
      expect(await growthAfterWrite(server, file, 15_000)).toBeGreaterThanOrEqual(TWO_MB);
    } finally {
      await server.stop();
    }
  });

  it('with 0, leaves it to SQLite: the same write stays in the WAL below its mark of 1,000 pages', async () => {
    const { server, file } = await sqliteServer(0);
    try {
      const [{ wal_autocheckpoint: mark }] = await server.app.orm.em
        .getConnection()
        .execute<{ wal_autocheckpoint: number }[]>('pragma wal_autocheckpoint');
      expect(mark).toBe(1000);
      expect(await growthAfterWrite(server, file, 1_500)).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
