import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { logger } from '../../common/logger';

export class FileTooLargeError extends Error {}
/** the upload as a whole ran past the bytes it was allowed (an answer's quota) */
export class OverBudgetError extends Error {}
/** bytes the parts of one upload may still take together; each part draws from it as it arrives */
export interface ByteBudget {
  left: number;
}

/** No request lives this long (Node's requestTimeout is 5 minutes), so an incoming file untouched for it is abandoned. */
const INCOMING_GRACE_MS = 3600_000;

/**
 * Bytes of one upload waiting for the disk before its source is paused. The parser hands over pieces of a few KB;
 * they are gathered and written with one writev each, so a file costs a few dozen disk writes per MB, not hundreds.
 */
const UPLOAD_BUFFER_BYTES = 256 * 1024;
/** what the multipart parser may hold of one request before it pauses it: a socket read, not the 16 KB default (a pause per read) */
export const UPLOAD_PARSER_BYTES = 64 * 1024;

/** writes every byte of `chunks` at the descriptor's position (a writev may write fewer bytes than asked) */
async function writeAll(file: fs.promises.FileHandle, chunks: Buffer[]): Promise<void> {
  while (chunks.length) {
    let { bytesWritten } = await file.writev(chunks);
    while (chunks.length && bytesWritten >= chunks[0].length) bytesWritten -= chunks.shift()!.length;
    if (bytesWritten > 0) chunks[0] = chunks[0].subarray(bytesWritten);
  }
}

/** Files on disk under DATA_DIR/files, named by their id; written to a temporary name first. */
export class FileStore {
  readonly dir: string;
  readonly incomingDir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'files');
    this.incomingDir = path.join(this.dir, 'incoming');
    fs.mkdirSync(this.incomingDir, { recursive: true });
  }

  pathOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad file id');
    return path.join(this.dir, id.slice(0, 2), id);
  }

  /**
   * Streams to disk, holding at most about twice UPLOAD_BUFFER_BYTES of the file (what waits and what is being
   * written); refuses past maxBytes (or past the shared budget). Returns the size. On any failure — refused, cut, or a
   * disk error — the descriptor is closed and the partial file removed before the promise settles; a refused part is
   * drained, so the request goes on to its end.
   */
  async write(id: string, source: Readable, maxBytes: number, budget?: ByteBudget): Promise<number> {
    const incoming = path.join(this.incomingDir, id);
    let size = 0;
    let failure: Error | null = null;
    let settle: (error?: Error | null) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
    done.catch(() => undefined); // it may fail while the file is being opened, before it is awaited
    const fail = (error: Error) => {
      failure ??= error;
      settle(failure);
    };
    // a part cut short (the request was) errors or closes the source before its end
    let ended = false;
    source.on('error', (error) => fail(error));
    source.once('end', () => (ended = true));
    source.once('close', () => ended || fail(new Error('the part was cut before its end')));
    let file: fs.promises.FileHandle | null = null;
    try {
      file = await fs.promises.open(incoming, 'wx');
      const sink = file;
      let waiting: Buffer[] = [];
      let waitingBytes = 0;
      let writing: Promise<void> | null = null;
      const pump = () => {
        if (writing || failure) return;
        if (!waiting.length) {
          if (ended) settle();
          return;
        }
        const batch = waiting;
        waiting = [];
        waitingBytes = 0;
        if (source.isPaused() && !ended) source.resume();
        writing = writeAll(sink, batch).then(
          () => {
            writing = null;
            pump();
          },
          (error: Error) => {
            writing = null;
            fail(error);
          },
        );
      };
      source.on('data', (chunk: Buffer) => {
        if (failure) return;
        size += chunk.length;
        if (size > maxBytes) return fail(new FileTooLargeError());
        if (budget && (budget.left -= chunk.length) < 0) return fail(new OverBudgetError());
        waiting.push(chunk);
        if ((waitingBytes += chunk.length) >= UPLOAD_BUFFER_BYTES) source.pause();
        pump();
      });
      source.once('end', pump);
      await done;
      await file.close();
      return size;
    } catch (error) {
      failure ??= error as Error;
      // the rest of a refused or failed part is drained, so the parser goes on to the end of the request
      source.removeAllListeners('data');
      source.on('error', () => undefined);
      source.resume();
      await file?.close().catch(() => undefined); // waits for a write under way
      await fs.promises.rm(incoming, { force: true });
      throw failure;
    }
  }
  /** Moves a fully written file to its final place. */
  async commit(id: string): Promise<void> {
    const target = this.pathOf(id);
    const from = path.join(this.incomingDir, id);
    try {
      await fs.promises.rename(from, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // the first file of its id prefix: make the directory (once, not for every upload)
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.rename(from, target);
    }
  }

  async discard(id: string): Promise<void> {
    await fs.promises.rm(path.join(this.incomingDir, id), { force: true });
  }

  /**
   * Removes partial uploads left by a process that died mid-upload. Several instances may share DATA_DIR, so only
   * files untouched for olderThanMs go: a live upload writes its file every moment and no request outlives the grace.
   */
  async sweepIncoming(olderThanMs = INCOMING_GRACE_MS): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const entry of await fs.promises.readdir(this.incomingDir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(this.incomingDir, entry.name);
      try {
        if ((await fs.promises.stat(file)).mtimeMs >= cutoff) continue;
        await fs.promises.rm(file, { force: true });
        removed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another instance swept it first
      }
    }
    if (removed) logger.info({ removed }, 'removed stale partial uploads');
    return removed;
  }

  /** Sweeps now and then every grace period, so a crash on one instance is cleaned up by the others too; returns the stop. */
  async keepIncomingSwept(everyMs = INCOMING_GRACE_MS): Promise<() => void> {
    const sweep = () =>
      this.sweepIncoming().catch((error) => logger.error({ err: error }, 'could not sweep partial uploads'));
    await sweep();
    const timer = setInterval(() => void sweep(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** A stored file again under a new id (a retake's copy of a ticket's file): a clone where the file system can. */
  async copy(fromId: string, toId: string): Promise<void> {
    const target = this.pathOf(toId);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(this.pathOf(fromId), target, fs.constants.COPYFILE_FICLONE);
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.pathOf(id), { force: true });
  }

  open(id: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(id));
  }
}

/**
 * Keeps the base name, drops directories, invisible format characters (bidi overrides and isolates, zero-width
 * characters, the BOM: a teacher must read the name as it will open), control and reserved characters, and bounds
 * the length.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\p{Cf}/gu, '') // U+202A–202E, U+2066–2069, U+200E/F, U+061C, U+200B–200D, U+2060, U+FEFF and the like
    .replace(/[\p{Cc}\u2028\u2029<>:"|?*]/gu, '_') // C0, DEL, C1, line separators
    .replace(/^[.\s]+/, '')
    .trim();
  const name = cleaned || 'file';
  const chars = [...name]; // by code point, so a cut never splits a surrogate pair
  if (chars.length <= 200) return name;
  const ext = [...path.extname(name)].slice(0, 20);
  return chars.slice(0, 200 - ext.length).join('') + ext.join('');
}

export function sanitizeContentType(raw: string | undefined): string {
  return raw && /^[\w.+-]+\/[\w.+-]+$/.test(raw) && raw.length <= 150 ? raw.toLowerCase() : 'application/octet-stream';
}
