import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

export class FileTooLargeError extends Error {}

/** Files on disk under DATA_DIR/files, named by their id; written to a temporary name first. */
export class FileStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'files');
    fs.mkdirSync(path.join(this.dir, 'incoming'), { recursive: true });
  }

  pathOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad file id');
    return path.join(this.dir, id.slice(0, 2), id);
  }

  /** Streams to disk, never holding the whole file in memory; refuses past maxBytes. Returns the size. */
  async write(id: string, source: Readable, maxBytes: number): Promise<number> {
    const incoming = path.join(this.dir, 'incoming', id);
    let size = 0;
    let tooLarge = false;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        // past the limit: keep reading and dropping, so the source is drained rather than destroyed
        // (a destroyed multipart part stalls the parser and the request never finishes)
        if (size > maxBytes) {
          tooLarge = true;
          done();
        } else done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(incoming, { flags: 'wx' }));
    } catch (error) {
      source.resume(); // drain what is left so the request can finish
      await fs.promises.rm(incoming, { force: true });
      throw error;
    }
    if (tooLarge) {
      await fs.promises.rm(incoming, { force: true });
      throw new FileTooLargeError();
    }
    return size;
  }

  /** Moves a fully written file to its final place. */
  async commit(id: string): Promise<void> {
    const target = this.pathOf(id);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(path.join(this.dir, 'incoming', id), target);
  }

  async discard(id: string): Promise<void> {
    await fs.promises.rm(path.join(this.dir, 'incoming', id), { force: true });
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.pathOf(id), { force: true });
  }

  open(id: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(id));
  }
}

/** Keeps the base name, drops directories, control and reserved characters, and bounds the length. */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const name = cleaned || 'file';
  if (name.length <= 200) return name;
  const ext = path.extname(name).slice(0, 20);
  return name.slice(0, 200 - ext.length) + ext;
}

export function sanitizeContentType(raw: string | undefined): string {
  return raw && /^[\w.+-]+\/[\w.+-]+$/.test(raw) && raw.length <= 150 ? raw.toLowerCase() : 'application/octet-stream';
}
