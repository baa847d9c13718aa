import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import express, { Router, type Response } from 'express';
import { DOCUMENT_ONLY_HEADERS } from '../common/http-guards';

/** Angular's output names carry a content hash (`main-2Q3JBKLP.js`, `media/roboto-X7Y8Z9AB.woff2`): a new build, a new name. */
const HASHED_NAME = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/** how long a browser may keep a file of the web app without asking again */
function cacheControlFor(filePath: string): string {
  const name = path.basename(filePath);
  if (name === 'index.html') return 'no-cache'; // always revalidated: a new release is picked up at the next load
  if (HASHED_NAME.test(name)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

/** files that are never opened as a document (an SVG or an HTML file could be, and keeps the CSP and the rest) */
const SUBRESOURCE = /\.(js|mjs|css|woff2?|ttf|png|jpe?g|gif|webp|avif|ico)$/;

/** a script, a stylesheet, an image: sent without the headers only a document obeys */
function asSubresource(res: http.ServerResponse, filePath: string): void {
  if (SUBRESOURCE.test(filePath)) for (const name of DOCUMENT_ONLY_HEADERS) res.removeHeader(name);
}

type Encoding = 'br' | 'gzip';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * The encoding to send of those on disk, by the request's Accept-Encoding (q-values honoured, `*` included):
 * Brotli before gzip when both are equally welcome.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: readonly Encoding[]): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (token) weights.set(token, q ? Number(q[1]) : 1);
  }
  const weight = (encoding: Encoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  let best: Encoding | null = null;
  for (const encoding of ['br', 'gzip'] as const) {
    if (available.includes(encoding) && weight(encoding) > 0 && (!best || weight(encoding) > weight(best)))
      best = encoding;
  }
  return best;
}

/** every file below dir that `npm run build:client` stored compressed beside itself (scripts/precompress.mjs) */
function precompressedFiles(dir: string): Map<string, Encoding[]> {
  const found = new Map<string, Encoding[]>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (!entry.name.endsWith('.br') && !entry.name.endsWith('.gz')) {
        const encodings = (['br', 'gzip'] as const).filter((e) => fs.existsSync(path.join(dir, relative + SUFFIX[e])));
        if (encodings.length) found.set(`/${relative}`, encodings);
      }
    }
  };
  walk('');
  return found;
}

/**
 * The built web app (dist/client/browser), when there is one: its files, and index.html for every other page address.
 * Files compressed at build time (Brotli 11, gzip 9: smaller than on the fly and no CPU per request when a whole
 * exam group opens the page at once) are sent as they are; anything else goes through compressedResponses().
 * Hashed files are cached for a year, index.html is revalidated every time.
 */
export function webApp(clientDir: string | undefined): Router | undefined {
  if (!clientDir || !fs.existsSync(path.join(clientDir, 'index.html'))) return undefined;
  const precompressed = precompressedFiles(clientDir);
  const indexHtml = path.join(clientDir, 'index.html');
  const router = Router();

  /** sends the stored compressed form of a file when there is one the client takes; false: it is not sent */
  const sendPrecompressed = (res: Response, urlPath: string, next: (error?: unknown) => void): boolean => {
    const encodings = precompressed.get(urlPath);
    if (!encodings) return false;
    res.vary('Accept-Encoding');
    const encoding = chooseEncoding(res.req.headers['accept-encoding'], encodings);
    if (!encoding) return false;
    const file = path.join(clientDir, urlPath);
    res.type(path.extname(file)).set({ 'Content-Encoding': encoding, 'Cache-Control': cacheControlFor(file) });
    asSubresource(res, file);
    res.sendFile(file + SUFFIX[encoding], { cacheControl: false }, (error) => error && next(error));
    return true;
  };

  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !sendPrecompressed(res, req.path, next)) next();
  });
  router.use(
    express.static(clientDir, {
      index: false,
      cacheControl: false,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', cacheControlFor(file));
        asSubresource(res, file);
      },
    }),
  );
  router.get(/^\/(?!graphql|files).*/, (_req, res, next) => {
    if (sendPrecompressed(res, '/index.html', next)) return;
    res.set('Cache-Control', cacheControlFor(indexHtml));
    res.sendFile(indexHtml, { cacheControl: false }, (error) => error && next(error));
  });
  return router;
}
