// `node scripts/precompress.mjs [dir]` (part of `npm run build:client`): every text file of the built web app stored
// beside itself as .br (Brotli 11) and .gz (gzip 9), the densest settings, paid once at build time. The server sends
// these by the request's Accept-Encoding (server/src/http/web-app.ts) instead of compressing every response anew.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const dir = path.resolve(process.argv[2] ?? 'dist/client/browser');
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest|xml|ico)$/;
/** below this a compressed file saves less than its headers' worth */
const MIN_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

function files(at) {
  return fs.readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(at, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

let raw = 0;
let br = 0;
let gz = 0;
for (const file of files(dir).filter((f) => COMPRESSIBLE.test(f))) {
  const content = fs.readFileSync(file);
  if (content.length < MIN_BYTES) continue;
  const [b, g] = await Promise.all([
    brotli(content, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzip(content, { level: 9 }),
  ]);
  // a stale form of an earlier build must not outlive it
  for (const [suffix, encoded] of [
    ['.br', b],
    ['.gz', g],
  ]) {
    if (encoded.length < content.length) fs.writeFileSync(file + suffix, encoded);
    else fs.rmSync(file + suffix, { force: true });
  }
  raw += content.length;
  br += b.length;
  gz += g.length;
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`[precompress] ${path.relative(process.cwd(), dir)}: ${kb(raw)} → Brotli ${kb(br)}, gzip ${kb(gz)}`);
