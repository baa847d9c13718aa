import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  createExam,
  seedUniversity,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../testing/harness';
import { ConfigError, loadConfig } from '../config';
import { chooseEncoding } from './web-app';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the bytes as they came over the wire, still encoded */
  body: Buffer;
}

/** node:http, not fetch: fetch adds its own Accept-Encoding and decodes the body, hiding what was sent */
function request(url: string, headers: Record<string, string> = {}, method = 'GET', payload?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function decode(raw: Raw): Buffer {
  const encoding = raw.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(raw.body);
  if (encoding === 'gzip') return zlib.gunzipSync(raw.body);
  return raw.body;
}

const graphqlPost = (url: string, query: string, headers: Record<string, string>) =>
  request(`${url}/graphql`, { 'content-type': 'application/json', ...headers }, 'POST', JSON.stringify({ query }));

/** Item 6 of issue 11: compressed responses and the web app's caching, without harm to downloads, CSP or WebSockets. */
describe('compressed responses and the web app', () => {
  let server: TestServer;
  let u: University;
  let clientDir: string;
  const script = Buffer.from(`console.log(${JSON.stringify('Жауапты жіберу '.repeat(400))});\n`);
  const indexHtml = `<!doctype html><html><head><script src="main-2Q3JBKLP.js" type="module"></script></head><body><app-root>${'<p>Жүктелуде…</p>'.repeat(80)}</app-root></body></html>`;

  beforeAll(async () => {
    // a built web app in miniature, as `npm run build:client` leaves it: hashed names, .br and .gz beside the text files
    clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-client-'));
    fs.writeFileSync(path.join(clientDir, 'index.html'), indexHtml);
    fs.writeFileSync(path.join(clientDir, 'main-2Q3JBKLP.js'), script);
    fs.writeFileSync(path.join(clientDir, 'main-2Q3JBKLP.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(clientDir, 'main-2Q3JBKLP.js.gz'), zlib.gzipSync(script));
    fs.mkdirSync(path.join(clientDir, 'media'));
    fs.writeFileSync(path.join(clientDir, 'media', 'logo-X7Y8Z9AB.png'), Buffer.alloc(4000, 7));
    fs.writeFileSync(path.join(clientDir, 'favicon.ico'), Buffer.alloc(100, 1));
    server = await startTestServer({ clientDir });
    u = await seedUniversity(server, 1);
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(clientDir, { recursive: true, force: true });
  });

  describe('GraphQL over HTTP', () => {
    // the names of every type in the schema: several KB of JSON
    const BIG = '{ __schema { types { name description } } }';

    it('is sent with Brotli or gzip as the request accepts, and plain without Accept-Encoding', async () => {
      const br = await graphqlPost(server.url, BIG, { 'accept-encoding': 'gzip, deflate, br' });
      const gzip = await graphqlPost(server.url, BIG, { 'accept-encoding': 'gzip' });
      const plain = await graphqlPost(server.url, BIG, {});
      expect([br.status, gzip.status, plain.status]).toEqual([200, 200, 200]);
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.body.length).toBeGreaterThan(2048);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      expect(decode(br).equals(plain.body)).toBeTrue();
      expect(decode(gzip).equals(plain.body)).toBeTrue();
      expect((JSON.parse(plain.body.toString()) as { data: { __schema: unknown } }).data.__schema).toBeDefined();
    });

    it('leaves an answer under COMPRESSION_MIN_BYTES as it is, still saying it varies by Accept-Encoding', async () => {
      const small = await graphqlPost(server.url, '{ serverTime }', { 'accept-encoding': 'br, gzip' });
      expect(small.status).toBe(200);
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(small.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(small.headers['content-length'])).toBe(small.body.length);
      expect(small.body.length).toBeLessThan(1024);
      expect((JSON.parse(small.body.toString()) as { data: { serverTime: string } }).data.serverTime).toMatch(
        /^\d{4}-/,
      );
    });

    it('compresses what Apollo answers (the requests the direct lane passes on) by the same rules', async () => {
      // a GET is Apollo's, through Express's router; an invalid operation is Apollo's refusal, through the lane
      const get = (headers: Record<string, string>) =>
        request(`${server.url}/graphql?query=${encodeURIComponent(BIG)}`, {
          'apollo-require-preflight': 'true',
          ...headers,
        });
      const br = await get({ 'accept-encoding': 'br' });
      const gzip = await get({ 'accept-encoding': 'gzip' });
      const plain = await get({});
      expect([br.status, gzip.status, plain.status]).toEqual([200, 200, 200]);
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(2048);
      expect(decode(br).equals(plain.body)).toBeTrue();
      expect(decode(gzip).equals(plain.body)).toBeTrue();
      for (const response of [br, gzip, plain]) expect(response.headers.vary).toMatch(/accept-encoding/i);

      const refused = await request(
        `${server.url}/graphql`,
        { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
        'POST',
        JSON.stringify({ query: '{ noSuchField }' }),
      );
      expect(refused.status).toBe(400);
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.headers.vary).toMatch(/accept-encoding/i);
      const { errors } = JSON.parse(refused.body.toString()) as { errors: { extensions: { code: string } }[] };
      expect(errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('compresses an answer exactly at the threshold and leaves one a byte under it', async () => {
      // the threshold set so that '{ serverTime }' (its length is fixed: an ISO time) lands on each side of it
      const probe = await graphqlPost(server.url, '{ serverTime }', {});
      const length = probe.body.length;
      const at = await startTestServer({ compression: { thresholdBytes: length, gzipLevel: 6, brotliQuality: 4 } });
      const above = await startTestServer({
        compression: { thresholdBytes: length + 1, gzipLevel: 6, brotliQuality: 4 },
      });
      try {
        const compressed = await graphqlPost(at.url, '{ serverTime }', { 'accept-encoding': 'gzip' });
        expect(compressed.headers['content-encoding']).toBe('gzip');
        expect(compressed.headers['content-length']).toBeUndefined();
        expect(decode(compressed).length).toBe(length);
        const left = await graphqlPost(above.url, '{ serverTime }', { 'accept-encoding': 'gzip' });
        expect(left.headers['content-encoding']).toBeUndefined();
        expect(left.body.length).toBe(length);
        for (const response of [compressed, left]) expect(response.headers.vary).toMatch(/accept-encoding/i);
      } finally {
        await at.stop();
        await above.stop();
      }
    });

    it('still carries the security headers', async () => {
      const br = await graphqlPost(server.url, BIG, { 'accept-encoding': 'br' });
      expect(br.headers['content-security-policy']).toContain("script-src 'self'");
      expect(br.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('the web app', () => {
    it('sends a hashed file precompressed by Accept-Encoding and lets browsers keep it for a year', async () => {
      const url = `${server.url}/main-2Q3JBKLP.js`;
      const br = await request(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      const gzip = await request(url, { 'accept-encoding': 'gzip' });
      const plain = await request(url);
      const refusedBr = await request(url, { 'accept-encoding': 'br;q=0, gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.body.equals(fs.readFileSync(path.join(clientDir, 'main-2Q3JBKLP.js.br')))).toBeTrue();
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(refusedBr.headers['content-encoding']).toBe('gzip');
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const response of [br, gzip, plain]) {
        expect(response.status).toBe(200);
        expect(decode(response).equals(script)).toBeTrue();
        expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
        expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(response.headers.vary).toMatch(/accept-encoding/i);
        // the headers only a document obeys are left off a script; those that matter for it stay
        expect(response.headers['content-security-policy']).toBeUndefined();
        expect(response.headers['x-frame-options']).toBeUndefined();
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      }
      expect(Number(br.headers['content-length'])).toBe(br.body.length);
    });

    it('caches hashed media for a year and other files for an hour', async () => {
      const logo = await request(`${server.url}/media/logo-X7Y8Z9AB.png`, { 'accept-encoding': 'br' });
      expect(logo.status).toBe(200);
      expect(logo.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const icon = await request(`${server.url}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    });

    it('answers every page address with index.html that is revalidated each time, compressed when accepted', async () => {
      for (const address of ['/', '/attestation/6c1f5a55-0000-4000-8000-000000000000', '/index.html']) {
        const br = await request(`${server.url}${address}`, { 'accept-encoding': 'br' });
        expect(br.status).withContext(address).toBe(200);
        expect(br.headers['cache-control']).withContext(address).toBe('no-cache');
        expect(br.headers['content-encoding']).withContext(address).toBe('br');
        expect(decode(br).toString()).withContext(address).toBe(indexHtml);
        expect(br.headers['content-security-policy']).withContext(address).toContain("script-src 'self'");
        expect(br.headers['x-frame-options']).withContext(address).toBe('SAMEORIGIN');
      }
      const plain = await request(`${server.url}/attestation`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(indexHtml);
    });

    it('picks the encoding by the q-values of Accept-Encoding, Brotli first', () => {
      expect(chooseEncoding('gzip, br', ['br', 'gzip'])).toBe('br');
      expect(chooseEncoding('br;q=0.5, gzip', ['br', 'gzip'])).toBe('gzip');
      expect(chooseEncoding('br', ['gzip'])).toBeNull();
      expect(chooseEncoding('*', ['br', 'gzip'])).toBe('br');
      expect(chooseEncoding('identity', ['br', 'gzip'])).toBeNull();
      expect(chooseEncoding(undefined, ['br', 'gzip'])).toBeNull();
    });
  });

  it('sends a downloaded file byte for byte with its length, never compressed', async () => {
    const staff = await server.login('staff');
    const student = await server.login(u.students[0].login);
    const exam = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Write an essay.',
    });
    const text = Buffer.from('A very compressible line of an essay.\n'.repeat(2000));
    const up = await uploadFiles(server, student, `/files/answers/${exam}`, [
      { name: 'essay.txt', content: text, contentType: 'text/plain' },
    ]);
    expect(up.status).toBe(201);
    const { id } = up.body.files[0] as { id: string };
    const got = await request(`${server.url}/files/${id}`, {
      authorization: `Bearer ${student}`,
      'accept-encoding': 'br, gzip',
    });
    expect(got.status).toBe(200);
    expect(got.headers['content-encoding']).toBeUndefined();
    expect(got.headers['content-length']).toBe(String(text.length));
    expect(got.headers['cache-control']).toContain('no-transform');
    expect(got.body.equals(text)).toBeTrue();
    expect(got.headers.vary ?? '').not.toMatch(/accept-encoding/i);
  });

  it("sends the file routes' short JSON answers as they are, saying they vary by Accept-Encoding", async () => {
    const refused = await request(`${server.url}/files/6c1f5a55-0000-4000-8000-000000000000`, {
      'accept-encoding': 'br, gzip',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(refused.headers['content-length'])).toBe(refused.body.length);
    expect((JSON.parse(refused.body.toString()) as { error?: { code?: string } }).error?.code).toBeDefined();
  });

  it('takes its threshold and levels from the environment, refusing levels zlib does not have', () => {
    expect(loadConfig({}).compression).toEqual({ thresholdBytes: 1024, gzipLevel: 6, brotliQuality: 4 });
    expect(
      loadConfig({ COMPRESSION_MIN_BYTES: '0', COMPRESSION_GZIP_LEVEL: '9', COMPRESSION_BROTLI_QUALITY: '11' })
        .compression,
    ).toEqual({ thresholdBytes: 0, gzipLevel: 9, brotliQuality: 11 });
    expect(() => loadConfig({ COMPRESSION_GZIP_LEVEL: '10' })).toThrowError(
      ConfigError,
      'COMPRESSION_GZIP_LEVEL must be a whole number from 1 to 9, got "10".',
    );
    expect(() => loadConfig({ COMPRESSION_BROTLI_QUALITY: '12' })).toThrowError(ConfigError, /from 0 to 11/);
  });

  it('keeps GraphQL over WebSocket working beside it', async () => {
    const token = await server.login(u.students[0].login);
    const client = server.ws(token);
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let data: unknown;
        client.subscribe(
          { query: '{ serverTime }' },
          { next: (value) => (data = value.data), error: reject, complete: () => resolve(data) },
        );
      });
      expect((result as { serverTime?: string }).serverTime).toMatch(/^\d{4}-/);
    } finally {
      await client.dispose();
    }
  });
});
