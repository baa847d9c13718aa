import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { jsonBody } from './json-body';

const LIMIT = 64;

/** a server answering what the middleware made of the body: the value, or the error's status and type */
async function serve(middleware: RequestHandler) {
  const app = express();
  app.post('/', middleware, (req: Request, res: Response) => res.json({ body: req.body as unknown }));
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.json({ error: { status: error.status, type: error.type } });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
}

/** a POST of `parts`, written one by one (a character may be split between them) */
function post(port: number, headers: http.OutgoingHttpHeaders, parts: Buffer[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as unknown));
    });
    req.on('error', reject);
    let i = 0;
    const write = () => {
      if (i < parts.length) req.write(parts[i++], () => setTimeout(write, 5));
      else req.end();
    };
    write();
  });
}

const json = 'application/json';
const utf8 = Buffer.from('{"query":"{ me { fullName } }","variables":{"name":"Ärzte – 東京"}}');
const length = (parts: Buffer[]) => String(parts.reduce((sum, p) => sum + p.length, 0));
const cases: { name: string; type?: string; encoding?: string; chunked?: boolean; parts: Buffer[] }[] = [
  { name: 'an object', type: json, parts: [Buffer.from('{"query":"{ x }"}')] },
  { name: 'UTF-8 split inside a character', type: json, parts: [utf8.subarray(0, 50), utf8.subarray(50)] },
  { name: 'a charset', type: 'application/json; charset=utf-8', parts: [Buffer.from('{"a":1}')] },
  { name: 'a byte order mark', type: json, parts: [Buffer.from('\ufeff{"a":1}')] },
  { name: 'leading whitespace and an array', type: json, parts: [Buffer.from(' \n\t[1,2]')] },
  { name: 'a string (strict)', type: json, parts: [Buffer.from('"just text"')] },
  { name: 'null (strict)', type: json, parts: [Buffer.from('null')] },
  { name: 'broken JSON', type: json, parts: [Buffer.from('{"a":')] },
  { name: 'malformed UTF-8', type: json, parts: [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])] },
  { name: 'a body over the limit', type: json, parts: [Buffer.from(`{"a":"${'x'.repeat(LIMIT)}"}`)] },
  { name: 'another charset', type: 'application/json; charset=latin1', parts: [Buffer.from('{"a":1}')] },
  { name: 'another type', type: 'text/plain', parts: [Buffer.from('{"a":1}')] },
  { name: 'gzip', type: json, encoding: 'gzip', parts: [zlib.gzipSync('{"a":1}')] },
  { name: 'chunked', type: json, chunked: true, parts: [Buffer.from('{"a":'), Buffer.from('1}')] },
];

describe('jsonBody', () => {
  it('makes of every body what express.json makes of it: the same value or the same refusal', async () => {
    const ours = await serve(jsonBody(LIMIT));
    const theirs = await serve(express.json({ limit: LIMIT }));
    try {
      for (const { name, type, encoding, chunked, parts } of cases) {
        const headers: http.OutgoingHttpHeaders = {
          ...(type ? { 'content-type': type } : {}),
          ...(encoding ? { 'content-encoding': encoding } : {}),
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': length(parts) }),
        };
        const expected = await post(theirs.port, headers, parts);
        expect(await post(ours.port, headers, parts))
          .withContext(name)
          .toEqual(expected);
      }
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});
