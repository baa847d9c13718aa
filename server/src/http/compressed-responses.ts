import http from 'node:http';
import zlib from 'node:zlib';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

export interface CompressionSettings {
  /** responses smaller than this are sent as they are (compressing them saves less than it costs) */
  thresholdBytes: number;
  /** zlib level 1–9 */
  gzipLevel: number;
  /** Brotli quality 0–11; 11 is for build time, a response on the fly wants 4 or so */
  brotliQuality: number;
}

/**
 * Brotli or gzip, by the request's Accept-Encoding, for what the server writes itself: GraphQL JSON, index.html, the
 * web app's files that have no precompressed form. Not touched: a response already encoded (the precompressed files),
 * one marked `Cache-Control: no-transform` (file downloads, sent byte for byte with their length), types that do not
 * compress (images, archives), and WebSocket traffic, which never passes through Express.
 *
 * The `compression` middleware is put on a response only when it starts to be written, and not at all when the whole
 * of it is one `end()` under the threshold — nearly every GraphQL answer and every JSON answer of the file routes (a
 * few hundred bytes, their length known: graphql-direct.ts, Express's res.send) — or a stream whose Content-Length is
 * under it (a small file of the web app). Such a response gets what
 * `compression` would have given it (`Vary: Accept-Encoding` when its type is compressible and not no-transform, and
 * no encoding) without compression's per-request wrappers of write, end, writeHead and on, its close listener and its
 * checks inside writeHead. Anything else — a body at or over the threshold, a stream, an explicit writeHead — goes
 * through `compression` exactly as before, installed at that moment.
 */
export function compressedResponses(settings: CompressionSettings): RequestHandler {
  const compress = compression({
    threshold: settings.thresholdBytes,
    level: settings.gzipLevel,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality } },
  });
  const threshold = settings.thresholdBytes;

  /** puts `compression` on the response now, before what is being written goes out */
  const install = (res: Response): void => {
    unhook(res);
    compress(res.req, res, noop);
  };

  /** what `compression` does to a response it leaves as it is for its size: only Vary, when it could have encoded it */
  const leave = (res: Response): void => {
    unhook(res);
    if (!compression.filter(res.req, res) || !transformable(res)) return;
    // what `vary` makes of no Vary header at all, without parsing; any other is merged by it as compression does
    if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Accept-Encoding');
    else res.vary('Accept-Encoding');
  };

  // one set of functions for all responses (no closures a request); `this` is the response
  function write(this: Response, ...args: Parameters<Response['write']>): boolean {
    // a stream with its length declared under the threshold (a small file of the web app)
    if (!this.headersSent && Number(this.getHeader('Content-Length')) < threshold) leave(this);
    else install(this);
    return this.write(...args);
  }
  function writeHead(this: Response, ...args: Parameters<Response['writeHead']>): Response {
    install(this);
    return this.writeHead(...args);
  }
  function end(this: Response, ...args: unknown[]): Response {
    if (this.headersSent || !underThreshold(this, args[0], args[1], threshold)) install(this);
    else leave(this);
    return (this.end as (...a: unknown[]) => Response)(...args);
  }

  return (req: Request, res: Response, next) => {
    // someone wrapped them before (nothing in this server does): then compression as it always was
    if (res.write !== PLAIN.write || res.end !== PLAIN.end || res.writeHead !== PLAIN.writeHead)
      return compress(req, res, next);
    res.write = write as Response['write'];
    res.end = end as Response['end'];
    res.writeHead = writeHead as Response['writeHead'];
    next();
  };
}

/** Node's own methods, which Express's response does not override */
const PLAIN = {
  write: http.ServerResponse.prototype.write,
  end: http.ServerResponse.prototype.end,
  writeHead: http.ServerResponse.prototype.writeHead,
} as unknown as Pick<Response, 'write' | 'end' | 'writeHead'>;

const noop = () => undefined;

/** Node's methods back (assigned, not deleted: a delete would leave the response a dictionary-mode object) */
function unhook(res: Response): void {
  res.write = PLAIN.write;
  res.end = PLAIN.end;
  res.writeHead = PLAIN.writeHead;
}

/** `compression`'s own size test at `end()`: its Content-Length, or the length of the one chunk when there is none */
function underThreshold(res: Response, chunk: unknown, encoding: unknown, threshold: number): boolean {
  const declared = res.getHeader('Content-Length');
  let length: number | undefined;
  if (!declared)
    length = !chunk
      ? 0
      : Buffer.isBuffer(chunk)
        ? chunk.length
        : Buffer.byteLength(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
  return Number(declared) < threshold || (length !== undefined && length < threshold);
}

/** `compression`'s rule: Cache-Control: no-transform forbids re-encoding (RFC 7234, 5.2.2.4) */
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
function transformable(res: Response): boolean {
  const cacheControl = res.getHeader('Cache-Control');
  return !cacheControl || !NO_TRANSFORM.test(String(cacheControl));
}
