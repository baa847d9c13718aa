import { Readable } from 'node:stream';
import busboy from 'busboy';
import { BoundarySearch, withFastBoundarySearch } from './boundary-search';

// streamsearch ships with busboy (no types): the search BoundarySearch stands in for
// eslint-disable-next-line @typescript-eslint/no-require-imports
const StreamSearch = require('streamsearch') as new (
  needle: Buffer,
  cb: (isMatch: boolean, data: Buffer | undefined, start: number, end: number) => void,
) => { push(chunk: Buffer): number; destroy(): void };

/** a seeded generator, so a failure can be replayed */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** what a search hands over, as text: data between boundaries, `|` for each boundary */
function run(
  make: (cb: (isMatch: boolean, data: Buffer | undefined, start: number, end: number) => void) => {
    push(chunk: Buffer): number;
    destroy(): void;
  },
  chunks: Buffer[],
): string {
  let out = '';
  const search = make((isMatch, data, start, end) => {
    if (data) out += data.toString('latin1', start, end);
    if (isMatch) out += '|';
  });
  for (const chunk of chunks) search.push(chunk);
  search.destroy();
  return out;
}

describe('BoundarySearch', () => {
  const needle = Buffer.from('\r\n--XyZ-42');

  it('hands over the same bytes and boundaries as streamsearch, however the body is cut', () => {
    // bodies made of the boundary's own pieces, so near-boundaries and boundaries cut across chunks abound
    const pieces = ['\r', '\n', '-', '--', 'X', 'XyZ', '\r\n--XyZ', '\r\n--XyZ-42', '\r\n--XyZ-4', 'a', 'bc', '\r\n'];
    for (let trial = 0; trial < 3000; trial++) {
      const next = random(trial + 1);
      const body = Buffer.from(
        Array.from({ length: 1 + next(60) }, () => pieces[next(pieces.length)]).join(''),
        'latin1',
      );
      const chunks: Buffer[] = [];
      for (let at = 0; at < body.length;) {
        const size = next(4) === 0 ? 0 : 1 + next(trial % 3 === 0 ? 3 : 25);
        chunks.push(body.subarray(at, at + size));
        at += size;
      }
      const expected = run((cb) => new StreamSearch(needle, cb), chunks);
      const actual = run((cb) => new BoundarySearch(needle, cb), chunks);
      expect(actual)
        .withContext(`trial ${trial}: ${JSON.stringify(body.toString('latin1'))}`)
        .toBe(expected);
      // and nothing is lost or made up: the body is the data with the boundaries put back
      expect(actual.split('|').join(needle.toString('latin1'))).toBe(body.toString('latin1'));
    }
  });

  it('finds every boundary in large chunks and holds back no more than a boundary less one byte', () => {
    const data = Buffer.alloc(200_000, 7);
    needle.copy(data, 1000);
    needle.copy(data, 1000 + needle.length); // two in a row
    needle.subarray(0, 6).copy(data, data.length - 6); // the beginning of one at the end
    const seen: string[] = [];
    const search = new BoundarySearch(needle, (isMatch, d, start, end) =>
      seen.push(`${isMatch ? 'match' : 'data'} ${d ? end - start : 0}`),
    );
    search.push(data);
    expect(seen).toEqual(['match 1000', 'match 0', `data ${data.length - 1000 - 2 * needle.length - 6}`]);
    search.destroy();
    expect(seen[seen.length - 1]).toBe('data 6');
  });
});

describe('busboy with BoundarySearch', () => {
  const boundary = '----form7MA4YWxk';
  const part = (name: string, filename: string | null, content: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
          (filename === null ? '' : `; filename="${filename}"\r\nContent-Type: application/pdf`) +
          '\r\n\r\n',
      ),
      content,
      Buffer.from('\r\n'),
    ]);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };

  /** the files (name → bytes) and fields busboy reads from `body` cut into `cut`-byte chunks, or its error */
  function parse(body: Buffer, cut: number, fast: boolean): Promise<string> {
    return new Promise((resolve) => {
      const parser = busboy({ headers, defParamCharset: 'utf8' });
      if (fast) withFastBoundarySearch(parser);
      const got: string[] = [];
      parser.on('file', (field, stream, info) => {
        const bytes: Buffer[] = [];
        stream.on('data', (c: Buffer) => bytes.push(c));
        stream.on('end', () => got.push(`file ${field} ${info.filename} ${Buffer.concat(bytes).toString('base64')}`));
      });
      parser.on('field', (field, value) => got.push(`field ${field} ${value}`));
      parser.on('close', () => resolve(got.join('\n')));
      parser.on('error', (error: Error) => resolve(`${got.join('\n')}\nerror ${error.message}`));
      const chunks: Buffer[] = [];
      for (let at = 0; at < body.length; at += cut) chunks.push(body.subarray(at, at + cut));
      Readable.from(chunks).pipe(parser);
    });
  }

  it('reads the same files and fields as busboy alone, and fails as it does on a body cut short', async () => {
    const next = random(7);
    const file = Buffer.from(Array.from({ length: 70_000 }, () => next(256)));
    // a file holding near-boundaries: CR LF dashes and most of the boundary
    const tricky = Buffer.from(`\r\n--${boundary.slice(0, -1)}\r\n-\r\n--${boundary}x`.repeat(50));
    const body = Buffer.concat([
      part('note', null, Buffer.from('hello')),
      part('file', 'ответ.pdf', file),
      part('file', 'tricky.bin', tricky),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    for (const cut of [1, 2, 7, 19, 64, 1000, 65_536, body.length]) {
      const plain = await parse(body, cut, false);
      expect(plain).toContain('file file tricky.bin');
      expect(await parse(body, cut, true))
        .withContext(`chunks of ${cut}`)
        .toBe(plain);
      const short = body.subarray(0, body.length - 40);
      const cutShort = await parse(short, cut, false);
      expect(cutShort).toContain('error Unexpected end of');
      expect(await parse(short, cut, true))
        .withContext(`cut short, chunks of ${cut}`)
        .toBe(cutShort);
    }
  });
});
