import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { logger } from './logger';

/**
 * WAL frames after which a commit still checkpoints on its own when the checkpoint thread is on (SQLite's default is
 * 1,000): a backstop only — at 4 KB a page the WAL stays under ~40 MB even if the thread fell behind or died.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

interface CheckpointJob {
  sqliteCheckpoint: { file: string; everyMs: number; synchronous: 'NORMAL' | 'FULL' };
}

/**
 * With WAL, SQLite copies the log into the database file every 1,000 pages, inside whichever COMMIT crosses that mark,
 * and syncs the file there: on the event loop, while a burst of uploads fills the disk (S5's longest SQLite calls,
 * 20–50 ms). This thread checkpoints instead, PASSIVE (it waits for no reader or writer), every `everyMs`, on a
 * connection of its own; the server's connection keeps a far higher auto-checkpoint as a backstop. Returns the stop.
 */
export function startCheckpoints(file: string, everyMs: number, synchronous: 'NORMAL' | 'FULL'): () => Promise<void> {
  const job: CheckpointJob = { sqliteCheckpoint: { file, everyMs, synchronous } };
  const worker = new Worker(__filename, { workerData: job });
  worker.unref();
  let stopped = false;
  worker.on('error', (error) => logger.error({ err: error }, 'sqlite checkpoints: the thread failed'));
  worker.on('exit', (code) => {
    if (!stopped) logger.warn({ code }, 'sqlite checkpoints: the thread ended; commits checkpoint past the backstop');
  });
  return async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await worker.terminate();
  };
}

function runCheckpoints({ file, everyMs, synchronous }: CheckpointJob['sqliteCheckpoint']): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (
    file: string,
    options: { fileMustExist: boolean },
  ) => { pragma(sql: string): unknown; close(): void };
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`synchronous = ${synchronous}`); // the checkpoint syncs the file as the server's own would
  db.pragma('busy_timeout = 0');
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy (the server's backstop is checkpointing), or the database is going away: the next turn tries again
    }
  };
  const timer = setInterval(checkpoint, everyMs);
  parentPort!.on('message', (message) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    db.close();
    parentPort!.close();
  });
}

if (!isMainThread && (workerData as Partial<CheckpointJob> | null)?.sqliteCheckpoint)
  runCheckpoints((workerData as CheckpointJob).sqliteCheckpoint);
