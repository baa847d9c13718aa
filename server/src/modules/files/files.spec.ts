import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  addTickets,
  createExam,
  minutes,
  seedUniversity,
  sleep,
  startTestServer,
  updateExam,
  uploadFiles,
  type TestServer,
  type University,
  type UploadPart,
} from '../../testing/harness';
import { Answer } from '../answers/answer.entity';
import { Sitting } from '../sittings/sitting.entity';
import { StoredFile } from './stored-file.entity';

interface Ref {
  id: string;
  name: string;
  size: number;
  contentType: string;
  url: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANSWER = 'query($e:ID!){ exam(id:$e){ mySitting { answer { status files { id name size contentType url } } } } }';
const DELETE_FILE = 'mutation($e:ID!,$f:ID!){ deleteAnswerFile(examId:$e, fileId:$f){ status files { id name } } }';
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';

/** every regular file below a directory */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? walk(full) : [full];
  });
}

const storeDir = (server: TestServer) => server.app.services.files.store.dir;
const onDisk = (server: TestServer, id: string) => path.join(storeDir(server), id.slice(0, 2), id);
const storedFor = (server: TestServer) => walk(storeDir(server));
const incoming = (server: TestServer) => walk(path.join(storeDir(server), 'incoming'));
const rowCount = (server: TestServer) => server.app.orm.em.fork().count(StoredFile, {});

/** descriptors this process holds open: the server and the spec share it */
const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;
/** descriptors open on a file below a directory */
function descriptorsUnder(dir: string): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return []; // closed while listed
    }
  });
}

/** polls until `test` holds or `ms` passed; closes happen a moment after the request settles */
async function eventually(test: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (test()) return true;
    await sleep(20);
  }
  return test();
}

const BOUNDARY = 'cut-upload-boundary';
const partHead = (name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;

/**
 * An upload over a raw socket that stops mid-way and destroys the socket: the connection is cut. `where` is how far
 * it got: into the part's headers, or into the file's bytes (then it waits until the server has begun the partial
 * file, so the cut falls mid-write). Resolves whether a partial file was seen.
 */
async function cutUpload(
  server: TestServer,
  token: string,
  endpoint: string,
  where: 'headers' | 'bytes',
  chunked: boolean,
): Promise<boolean> {
  const incomingDir = path.join(storeDir(server), 'incoming');
  const before = new Set(fs.readdirSync(incomingDir));
  const socket = net.connect(server.app.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const head = partHead('cut.bin');
  const body =
    where === 'headers'
      ? Buffer.from(head.slice(0, 40))
      : Buffer.concat([Buffer.from(head), Buffer.alloc(64 * 1024, 7)]);
  socket.write(
    `POST ${endpoint} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${body.length + 1_000_000}\r\n\r\n`),
  );
  socket.write(
    chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]) : body,
  );
  let sawPartial = false;
  if (where === 'bytes')
    sawPartial = await eventually(() => fs.readdirSync(incomingDir).some((f) => !before.has(f)), 2000);
  socket.destroy();
  return sawPartial;
}

/** The same, by a client that aborts its streaming request (fetch + AbortController) once the partial file exists. */
async function abortedUpload(server: TestServer, token: string, endpoint: string): Promise<boolean> {
  const incomingDir = path.join(storeDir(server), 'incoming');
  const before = new Set(fs.readdirSync(incomingDir));
  const abort = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Buffer.from(partHead('aborted.bin')));
      controller.enqueue(Buffer.alloc(64 * 1024, 3)); // and never the rest
    },
  });
  const request = fetch(`${server.url}${endpoint}`, {
    method: 'POST',
    body,
    signal: abort.signal,
    duplex: 'half',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  } as RequestInit).then(
    () => 'answered',
    (error: Error) => error.name,
  );
  const sawPartial = await eventually(() => fs.readdirSync(incomingDir).some((f) => !before.has(f)), 2000);
  abort.abort();
  expect(await request).toBe('AbortError');
  return sawPartial;
}

async function download(server: TestServer, url: string, token: string | null = null) {
  const res = await fetch(`${server.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** R7.2, R7.3, R5.4, R6.1: the plain HTTP file endpoints beside /graphql. */
describe('files', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let otherTeacher: string;
  let s: string[];
  const MAX = 1024;

  beforeAll(async () => {
    server = await startTestServer({ maxFileBytes: MAX });
    u = await seedUniversity(server, 3);
    [staff, teacher, otherTeacher] = await Promise.all([
      server.login('staff'),
      server.login('teacher'),
      server.login('teacher2'),
    ]);
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterAll(() => server.stop());

  const taskExam = (input: Record<string, unknown> = {}) =>
    createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Draw the ER diagram.',
      ...input,
    });
  const toAnswer = (token: string | null, examId: string, parts: UploadPart[]) =>
    uploadFiles(server, token, `/files/answers/${examId}`, parts);

  describe('answer uploads', () => {
    it('takes several files in one multipart request and streams each to DATA_DIR/files', async () => {
      const exam = await taskExam();
      const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const form = new FormData();
      form.append('file', new Blob(['first file'], { type: 'text/plain' }), 'one.txt');
      form.append('file', new Blob([binary]), 'two.bin');
      form.append('file', new Blob(['третий файл']), 'үшінші.txt');
      const res = await fetch(`${server.url}/files/answers/${exam}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s[0]}` },
        body: form,
      });
      expect(res.status).toBe(201);
      const { files } = (await res.json()) as { files: Ref[] };
      expect(files.map((f) => f.name)).toEqual(['one.txt', 'two.bin', 'үшінші.txt']);
      expect(files.map((f) => f.size)).toEqual([10, 256, Buffer.byteLength('третий файл')]);
      expect(files[0].contentType).toBe('text/plain');
      expect(files[1].contentType).toBe('application/octet-stream');
      for (const f of files) {
        expect(f.id).toMatch(UUID);
        expect(f.url).toContain(`/files/${f.id}`);
      }

      expect(fs.readFileSync(onDisk(server, files[0].id), 'utf8')).toBe('first file');
      expect(fs.readFileSync(onDisk(server, files[1].id)).equals(binary)).toBeTrue();
      expect(fs.readFileSync(onDisk(server, files[2].id), 'utf8')).toBe('третий файл');
      expect(incoming(server)).toEqual([]);

      const page = await server.ok(s[0], ANSWER, { e: exam });
      expect(page.exam.mySitting.answer.status).toBe('DRAFT');
      expect(page.exam.mySitting.answer.files.map((f: Ref) => f.id)).toEqual(files.map((f) => f.id));
    });

    it('refuses a file over the limit with 413 FILE_TOO_LARGE and stores none of the request', async () => {
      const exam = await taskExam();
      const rowsBefore = await rowCount(server);
      const diskBefore = storedFor(server).length;

      const big = await toAnswer(s[1], exam, [{ name: 'big.bin', content: Buffer.alloc(MAX + 1, 7) }]);
      expect(big.status).toBe(413);
      expect(big.body).toEqual({ error: { code: 'FILE_TOO_LARGE', message: jasmine.stringMatching(/big\.bin/) } });

      const mixed = await toAnswer(s[1], exam, [
        { name: 'small.txt', content: 'fits easily' },
        { name: 'huge.bin', content: Buffer.alloc(2 * 1024 * 1024, 1) },
        { name: 'after.txt', content: 'also small' },
      ]);
      expect(mixed.status).toBe(413);
      expect(mixed.body.error.code).toBe('FILE_TOO_LARGE');

      expect(await rowCount(server)).toBe(rowsBefore);
      expect(storedFor(server).length).toBe(diskBefore);
      expect(incoming(server)).toEqual([]);
      const page = await server.ok(s[1], ANSWER, { e: exam });
      expect(page.exam.mySitting.answer?.files ?? []).toEqual([]);

      const exact = await toAnswer(s[1], exam, [{ name: 'exact.bin', content: Buffer.alloc(MAX, 2) }]);
      expect(exact.status).toBe(201);
      expect(exact.body.files[0].size).toBe(MAX);
      expect(fs.statSync(onDisk(server, exact.body.files[0].id)).size).toBe(MAX);
    });

    it('sanitises file names: no directories, reserved or control characters, no leading dots', async () => {
      const exam = await taskExam();
      const long = `${'д'.repeat(300)}.pdf`;
      const res = await toAnswer(s[2], exam, [
        { name: '../../etc/passwd', content: 'a' },
        { name: 'a<b>:c.txt', content: 'b' },
        { name: 'C:\\Users\\student\\report.docx', content: 'c' },
        { name: '  .hidden  ', content: 'd' },
        { name: 'tab\there|q?*.txt', content: 'e' },
        { name: '..', content: 'f' },
        { name: long, content: 'g' },
      ]);
      expect(res.status).toBe(201);
      const names = (res.body.files as Ref[]).map((f) => f.name);
      expect(names.slice(0, 6)).toEqual(['passwd', 'a_b__c.txt', 'report.docx', 'hidden', 'tab_here_q__.txt', 'file']);
      expect(names[6].length).toBe(200);
      expect(names[6].endsWith('.pdf')).toBeTrue();
      for (const name of names) {
        // eslint-disable-next-line no-control-regex -- what is checked is that no control character is left
        expect(name).not.toMatch(/[\\/<>:"|?*\u0000-\u001f]/);
        expect(name.startsWith('.')).toBeFalse();
      }
      // on disk every file is named by its id only, whatever the uploaded name said
      for (const file of storedFor(server)) expect(path.basename(file)).toMatch(UUID);
      expect(fs.existsSync(path.resolve(storeDir(server), '../../etc/passwd'))).toBeFalse();
    });

    it('downloads the original bytes with the original UTF-8 name, to the author and (once sent) the teacher only', async () => {
      const exam = await taskExam();
      const name = 'Жауап №1 (final).bin';
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
      const up = await toAnswer(s[0], exam, [{ name, content: bytes, contentType: 'application/pdf' }]);
      expect(up.status).toBe(201);
      const ref: Ref = up.body.files[0];
      expect(ref.name).toBe(name);

      const own = await download(server, `/files/${ref.id}`, s[0]);
      expect(own.status).toBe(200);
      expect(own.bytes.equals(bytes)).toBeTrue();
      expect(own.headers.get('content-type')).toBe('application/pdf');
      expect(own.headers.get('content-length')).toBe('300');
      const cd = own.headers.get('content-disposition')!;
      expect(cd).toContain('attachment');
      expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(cd).toMatch(/filename="[\x20-\x7e]+"/); // an ASCII fallback for old clients

      const signed = await download(server, ref.url); // the signed address works without a header
      expect(signed.status).toBe(200);
      expect(signed.bytes.equals(bytes)).toBeTrue();
      expect(
        (await download(server, `/files/${ref.id}?access=${u.students[0].id}.${Date.now() + 60_000}.forged`)).status,
      ).toBe(401);
      expect((await download(server, `/files/${ref.id}`)).status).toBe(401);

      expect((await download(server, `/files/${ref.id}`, s[1])).status).toBe(404); // another student
      expect((await download(server, `/files/${ref.id}`, teacher)).status).toBe(404); // a draft is the student's alone
      expect((await download(server, `/files/${ref.id}`, staff)).status).toBe(404);

      await server.ok(s[0], SUBMIT, { e: exam, t: '' });
      const graded = await download(server, `/files/${ref.id}`, teacher);
      expect(graded.status).toBe(200);
      expect(graded.bytes.equals(bytes)).toBeTrue();
      expect((await download(server, `/files/${ref.id}`, staff)).status).toBe(200);
      expect((await download(server, `/files/${ref.id}`, otherTeacher)).status).toBe(404);
      expect((await download(server, `/files/${ref.id}`, s[1])).status).toBe(404);
    });

    it('deleteAnswerFile removes the file from the answer and from disk; unknown ids are NOT_FOUND', async () => {
      const exam = await taskExam();
      const up = await toAnswer(s[1], exam, [
        { name: 'keep.txt', content: 'keep me' },
        { name: 'drop.txt', content: 'drop me' },
      ]);
      const [keep, drop] = up.body.files as Ref[];
      expect(fs.existsSync(onDisk(server, drop.id))).toBeTrue();

      const after = await server.ok(s[1], DELETE_FILE, { e: exam, f: drop.id });
      expect(after.deleteAnswerFile.status).toBe('DRAFT');
      expect(after.deleteAnswerFile.files).toEqual([{ id: keep.id, name: 'keep.txt' }]);
      expect(fs.existsSync(onDisk(server, drop.id))).toBeFalse();
      expect((await download(server, `/files/${drop.id}`, s[1])).status).toBe(404);
      expect((await download(server, drop.url)).status).toBe(404);
      expect((await download(server, `/files/${keep.id}`, s[1])).status).toBe(200);

      expect(await server.code(s[1], DELETE_FILE, { e: exam, f: drop.id })).toBe('NOT_FOUND');
      expect(await server.code(s[1], DELETE_FILE, { e: exam, f: randomUUID() })).toBe('NOT_FOUND');
      expect(await server.code(s[1], DELETE_FILE, { e: exam, f: 'not-an-id' })).toBe('NOT_FOUND');

      // another student's file cannot be deleted through one's own answer
      const theirs = await toAnswer(s[2], exam, [{ name: 'theirs.txt', content: 'not yours' }]);
      expect(await server.code(s[1], DELETE_FILE, { e: exam, f: theirs.body.files[0].id })).toBe('NOT_FOUND');
      expect(fs.existsSync(onDisk(server, theirs.body.files[0].id))).toBeTrue();
      expect((await download(server, `/files/${theirs.body.files[0].id}`, s[2])).status).toBe(200);
    });

    it('refuses a 0-byte file with 400 EMPTY_FILE, alone or among others, and stores none of the request', async () => {
      const exam = await taskExam();
      const rowsBefore = await rowCount(server);
      const alone = await toAnswer(s[0], exam, [{ name: 'blank.docx', content: '' }]);
      expect(alone.status).toBe(400);
      expect(alone.body).toEqual({
        error: { code: 'EMPTY_FILE', message: jasmine.stringMatching(/"blank\.docx" is empty/) },
      });
      const mixed = await toAnswer(s[0], exam, [
        { name: 'full.txt', content: 'has bytes' },
        { name: 'empty.txt', content: '' },
      ]);
      expect(mixed.status).toBe(400);
      expect(mixed.body.error.code).toBe('EMPTY_FILE');
      expect(await rowCount(server)).toBe(rowsBefore);
      expect(incoming(server)).toEqual([]);
      expect((await server.ok(s[0], ANSWER, { e: exam })).exam.mySitting.answer?.files ?? []).toEqual([]);

      const ticketExam = await createExam(server, staff, u);
      const [ticket] = await addTickets(server, staff, ticketExam, 1);
      const staffEmpty = await uploadFiles(server, staff, `/files/tickets/${ticket}`, [{ name: 'q.pdf', content: '' }]);
      expect(staffEmpty.status).toBe(400);
      expect(staffEmpty.body.error.code).toBe('EMPTY_FILE');
    });

    it('does not count a 0-byte file (from older data) as an answer: such a draft cannot be saved or sent empty', async () => {
      const exam = await taskExam();
      const em = server.app.orm.em.fork();
      const sitting = await em.findOneOrFail(Sitting, { exam, student: u.students[1].id });
      const answer = em.create(Answer, { sitting, text: '' });
      em.create(StoredFile, {
        name: 'empty.pdf',
        size: 0,
        contentType: 'application/pdf',
        answer,
        uploadedBy: u.students[1].id,
      });
      await em.flush();

      expect((await server.ok(s[1], ANSWER, { e: exam })).exam.mySitting.answer.files.map((f: Ref) => f.name)).toEqual([
        'empty.pdf',
      ]);
      expect(await server.code(s[1], SUBMIT, { e: exam, t: '' })).toBe('ANSWER_TOO_SHORT');
      expect(await server.code(s[1], 'mutation($e:ID!){ saveAnswer(examId:$e, text:""){ status } }', { e: exam })).toBe(
        'ANSWER_TOO_SHORT',
      );
      expect((await server.ok(s[1], ANSWER, { e: exam })).exam.mySitting.answer.status).toBe('DRAFT');

      const real = await toAnswer(s[1], exam, [{ name: 'real.pdf', content: 'now there is an answer' }]);
      expect(real.status).toBe(201);
      expect((await server.ok(s[1], SUBMIT, { e: exam, t: '' })).submitAnswer.status).toBe('SUBMITTED');
    });

    it('strips bidi controls, zero-width and other invisible characters from names; control characters become _', async () => {
      const exam = await taskExam();
      const res = await toAnswer(s[2], exam, [
        { name: 'отчёт\u202Efdp.exe', content: 'a' },
        { name: '\u2067evil\u2069\u200E\u200F\u061C.pdf', content: 'b' },
        { name: 'a\u200Bb\u200C\u200Dc\u2060\uFEFF.txt', content: 'c' },
        { name: 'x\u0085y\u009B.txt', content: 'd' },
        { name: '\u202A\u202B\u202C\u202D\u2066\u2068.docx', content: 'e' },
        { name: '\u202E\u200B', content: 'f' },
      ]);
      expect(res.status).toBe(201);
      const names = (res.body.files as Ref[]).map((f) => f.name);
      expect(names).toEqual(['отчётfdp.exe', 'evil.pdf', 'abc.txt', 'x_y_.txt', 'docx', 'file']);
      // eslint-disable-next-line no-control-regex -- what is checked is that no control character is left
      const controlOrInvisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
      for (const name of names) expect(name).not.toMatch(controlOrInvisible);

      // the teacher reads the name as it will open, in the room and in the download
      await server.ok(s[2], SUBMIT, { e: exam, t: '' });
      const room = await server.ok(
        teacher,
        'query($e:ID!){ exam(id:$e){ sittings { student { login } answer { files { id name } } } } }',
        { e: exam },
      );
      const sent = room.exam.sittings.find((x: { student: { login: string } }) => x.student.login === 's03').answer
        .files;
      expect(sent[0].name).toBe('отчётfdp.exe');
      const got = await download(server, `/files/${sent[0].id}`, teacher);
      expect(got.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent('отчётfdp.exe')}`,
      );
    });

    it('answers ids that are not ids (a word, a NUL, bad escapes) with 4xx JSON before the database, on every /files route', async () => {
      const exam = await taskExam();
      const json = async (res: Response) => ({
        status: res.status,
        type: res.headers.get('content-type'),
        body: (await res.json()) as { error: { code: string } },
      });
      const get = (p: string, token: string | null = s[0]) =>
        fetch(`${server.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(json);
      for (const p of [
        '/files/not-a-uuid',
        '/files/%00',
        `/files/${randomUUID()}%00`,
        '/files/..%2F..%2Fetc%2Fpasswd',
        '/files/',
        '/files/a/b',
      ]) {
        const res = await get(p);
        expect(res.status).withContext(p).toBe(404);
        expect(res.type).withContext(p).toContain('application/json');
        expect(res.body.error.code).withContext(p).toBe('NOT_FOUND');
      }
      expect((await get('/files/%00', null)).status).toBe(404); // the id is checked before anything else
      const badEscape = await get('/files/%E0%A4%A');
      expect(badEscape.status).toBe(400);
      expect(badEscape.body.error.code).toBe('BAD_USER_INPUT');

      for (const [token, p] of [
        [s[0], '/files/answers/not-a-uuid'],
        [s[0], '/files/answers/%00'],
        [staff, '/files/tickets/%00'],
        [staff, '/files/tickets/1%27%20or%201=1'],
        [staff, '/files/exams/%00/task'],
        [s[0], '/files/whatever'],
      ] as const) {
        const res = await uploadFiles(server, token, p, [{ name: 'a.txt', content: 'some bytes' }]);
        expect(res.status).withContext(p).toBe(404);
        expect(res.body.error.code).withContext(p).toBe('NOT_FOUND');
      }
      expect(incoming(server)).toEqual([]);
      expect((await toAnswer(s[0], exam, [{ name: 'still.txt', content: 'works' }])).status).toBe(201);
    });

    it('answers a non-multipart upload with 415 JSON, an empty one with 400, and no token with 401', async () => {
      const exam = await taskExam();
      const rowsBefore = await rowCount(server);
      const json = await fetch(`${server.url}/files/answers/${exam}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ file: 'x' }),
      });
      expect(json.status).toBe(415);
      expect(json.headers.get('content-type')).toContain('application/json');
      expect(await json.json()).toEqual({
        error: { code: 'BAD_USER_INPUT', message: jasmine.stringMatching(/multipart/) },
      });

      const empty = await toAnswer(s[0], exam, []);
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('BAD_USER_INPUT');

      const anonymous = await toAnswer(null, exam, [{ name: 'a.txt', content: 'anonymous' }]);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      expect(await rowCount(server)).toBe(rowsBefore);
      const page = await server.ok(s[0], ANSWER, { e: exam });
      expect(page.exam.mySitting.answer?.files ?? []).toEqual([]);
    });
  });

  describe('ticket files (R5.4)', () => {
    it("are uploaded by staff only and shown to the ticket's holder only once questions are released", async () => {
      const exam = await createExam(server, staff, u, { studentIds: [u.students[0].id, u.students[1].id] });
      const [t1, t2] = await addTickets(server, staff, exam, 2);
      const bytes = Buffer.from('%PDF ticket one questions');

      const byStudent = await uploadFiles(server, s[0], `/files/tickets/${t1}`, [{ name: 'q.pdf', content: bytes }]);
      expect(byStudent.status).toBe(403);
      expect(byStudent.body.error.code).toBe('FORBIDDEN');
      const byTeacher = await uploadFiles(server, teacher, `/files/tickets/${t1}`, [{ name: 'q.pdf', content: bytes }]);
      expect(byTeacher.status).toBe(403);
      const unknown = await uploadFiles(server, staff, `/files/tickets/${randomUUID()}`, [
        { name: 'q.pdf', content: bytes },
      ]);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');

      const up = await uploadFiles(server, staff, `/files/tickets/${t1}`, [
        { name: 'Билет 1.pdf', content: bytes, contentType: 'application/pdf' },
      ]);
      expect(up.status).toBe(201);
      const ref: Ref = up.body.files[0];
      expect(fs.readFileSync(onDisk(server, ref.id)).equals(bytes)).toBeTrue();
      const staffView = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ tickets { id files { id name } } } }', {
        e: exam,
      });
      expect(staffView.exam.tickets.find((t: { id: string }) => t.id === t1).files).toEqual([
        { id: ref.id, name: 'Билет 1.pdf' },
      ]);

      const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }';
      await server.ok(s[0], CHOOSE, { e: exam, t: t1 });
      await server.ok(s[1], CHOOSE, { e: exam, t: t2 });
      expect((await download(server, `/files/${ref.id}`, s[0])).status).toBe(404); // not released yet

      await server.ok(staff, 'mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s){ id } }', {
        e: exam,
        s: [u.students[0].id],
      });
      const shown = await server.ok(
        s[0],
        'mutation($e:ID!){ showTicketQuestions(examId:$e){ ... on TicketQuestions { files { id name url } } } }',
        { e: exam },
      );
      expect(shown.showTicketQuestions.files.map((f: Ref) => f.name)).toEqual(['Билет 1.pdf']);
      const got = await download(server, shown.showTicketQuestions.files[0].url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBeTrue();

      await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: exam });
      expect((await download(server, `/files/${ref.id}`, s[1])).status).toBe(404); // released, but not their ticket
      expect((await download(server, `/files/${ref.id}`, s[2])).status).toBe(404); // not enrolled
      expect((await download(server, `/files/${ref.id}`, teacher)).status).toBe(200);
      expect((await download(server, `/files/${ref.id}`, otherTeacher)).status).toBe(404);
    });
  });

  describe('task files (R6.1)', () => {
    it('are uploaded by staff only and shown to enrolled students only once the exam has started', async () => {
      const exam = await taskExam({ startsAt: minutes(30), endsAt: minutes(90), studentIds: [u.students[0].id] });
      const bytes = Buffer.from('task attachment');

      const byStudent = await uploadFiles(server, s[0], `/files/exams/${exam}/task`, [
        { name: 'task.txt', content: bytes },
      ]);
      expect(byStudent.status).toBe(403);
      expect(byStudent.body.error.code).toBe('FORBIDDEN');
      const up = await uploadFiles(server, staff, `/files/exams/${exam}/task`, [
        { name: 'task.txt', content: bytes, contentType: 'text/plain' },
      ]);
      expect(up.status).toBe(201);
      const ref: Ref = up.body.files[0];
      expect(fs.existsSync(onDisk(server, ref.id))).toBeTrue();

      const TASK = 'query($e:ID!){ exam(id:$e){ task { text files { id name url } } } }';
      expect((await server.ok(s[0], TASK, { e: exam })).exam.task).toBeNull();
      expect((await download(server, `/files/${ref.id}`, s[0])).status).toBe(404);
      expect((await server.ok(staff, TASK, { e: exam })).exam.task.files.map((f: Ref) => f.id)).toEqual([ref.id]);

      await updateExam(server, staff, u, exam, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Draw the ER diagram.',
        startsAt: minutes(-1),
        endsAt: minutes(60),
        studentIds: [u.students[0].id],
      });
      const task = (await server.ok(s[0], TASK, { e: exam })).exam.task;
      expect(task.files.map((f: Ref) => f.name)).toEqual(['task.txt']);
      const got = await download(server, task.files[0].url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBeTrue();
      expect((await download(server, `/files/${ref.id}`, s[1])).status).toBe(404); // not enrolled
    });

    it('cannot be attached to a ticket exam', async () => {
      const exam = await createExam(server, staff, u);
      const res = await uploadFiles(server, staff, `/files/exams/${exam}/task`, [{ name: 'task.txt', content: 'x' }]);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_USER_INPUT');
    });
  });
});

describe('files per answer', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let student: string;

  beforeAll(async () => {
    server = await startTestServer({ maxFilesPerAnswer: 2 });
    u = await seedUniversity(server, 1);
    [staff, student] = await Promise.all([server.login('staff'), server.login('s01')]);
  });
  afterAll(() => server.stop());

  const part = (n: number): UploadPart => ({ name: `f${n}.txt`, content: `file number ${n}` });
  const files = async (examId: string) =>
    ((await server.ok(student, ANSWER, { e: examId })).exam.mySitting.answer?.files ?? []) as Ref[];

  it('refuses more than maxFilesPerAnswer with 400 TOO_MANY_FILES, at once or one by one', async () => {
    const exam = await createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'task' });
    const three = await uploadFiles(server, student, `/files/answers/${exam}`, [part(1), part(2), part(3)]);
    expect(three.status).toBe(400);
    expect(three.body.error.code).toBe('TOO_MANY_FILES');
    expect(await files(exam)).toEqual([]);
    expect(await rowCount(server)).toBe(0);
    expect(storedFor(server)).toEqual([]);

    const two = await uploadFiles(server, student, `/files/answers/${exam}`, [part(1), part(2)]);
    expect(two.status).toBe(201);
    const one = await uploadFiles(server, student, `/files/answers/${exam}`, [part(3)]);
    expect(one.status).toBe(400);
    expect(one.body).toEqual({ error: { code: 'TOO_MANY_FILES', message: jasmine.any(String) } });
    expect((await files(exam)).map((f) => f.name)).toEqual(['f1.txt', 'f2.txt']);

    await server.ok(student, DELETE_FILE, { e: exam, f: two.body.files[0].id });
    const again = await uploadFiles(server, student, `/files/answers/${exam}`, [part(4)]);
    expect(again.status).toBe(201);
    expect((await files(exam)).map((f) => f.name)).toEqual(['f2.txt', 'f4.txt']);
  });

  it('never lets concurrent uploads push an answer past the limit', async () => {
    const exam = await createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'task' });
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => uploadFiles(server, student, `/files/answers/${exam}`, [part(n)])),
    );
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted.length).toBeLessThanOrEqual(2);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('TOO_MANY_FILES');
    const listed = await files(exam);
    expect(listed.length).toBeLessThanOrEqual(2);
    expect(listed.map((f) => f.id).sort()).toEqual(accepted.flatMap((r) => r.body.files.map((f: Ref) => f.id)).sort());
  });
});

describe('bytes per answer (MAX_ANSWER_MB)', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let student: string;
  const QUOTA = 2500;

  beforeAll(async () => {
    server = await startTestServer({ maxFileBytes: 1000, maxAnswerBytes: QUOTA });
    u = await seedUniversity(server, 1);
    [staff, student] = await Promise.all([server.login('staff'), server.login('s01')]);
  });
  afterAll(() => server.stop());

  const exam = () => createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'task' });
  const bytes = (n: number, name = `f${n}.bin`): UploadPart => ({ name, content: Buffer.alloc(n, 5) });
  const stored = async (examId: string) =>
    ((await server.ok(student, ANSWER, { e: examId })).exam.mySitting.answer?.files ?? []) as Ref[];

  it('refuses with 413 ANSWER_TOO_LARGE, naming the limit, what would pass the quota with what is stored', async () => {
    const examId = await exam();
    expect((await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(1000, 'a.bin')])).status).toBe(201);
    expect((await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(1000, 'b.bin')])).status).toBe(201);

    const over = await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(600, 'c.bin')]);
    expect(over.status).toBe(413);
    expect(over.body).toEqual({
      error: { code: 'ANSWER_TOO_LARGE', message: jasmine.stringMatching(/2\.4 KB in all.*2 KB are stored/) },
    });
    const both = await uploadFiles(server, student, `/files/answers/${examId}`, [
      bytes(300, 'd.bin'),
      bytes(300, 'e.bin'),
    ]);
    expect(both.status).toBe(413);
    expect(both.body.error.code).toBe('ANSWER_TOO_LARGE');
    expect(incoming(server)).toEqual([]);
    expect((await stored(examId)).map((f) => f.name)).toEqual(['a.bin', 'b.bin']);

    const exact = await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(500, 'exact.bin')]);
    expect(exact.status).toBe(201);
    const full = await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(1, 'one.bin')]);
    expect(full.status).toBe(413);
    expect(full.body.error.code).toBe('ANSWER_TOO_LARGE');

    await server.ok(student, DELETE_FILE, { e: examId, f: (await stored(examId))[0].id });
    expect((await uploadFiles(server, student, `/files/answers/${examId}`, [bytes(1000, 'again.bin')])).status).toBe(
      201,
    );
    expect((await stored(examId)).reduce((sum, f) => sum + f.size, 0)).toBe(QUOTA);
    expect(storedFor(server).length).toBe(3);
  });

  it('never lets concurrent uploads push an answer past the quota', async () => {
    const examId = await exam();
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => uploadFiles(server, student, `/files/answers/${examId}`, [bytes(1000, `p${n}.bin`)])),
    );
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted.length).toBeLessThanOrEqual(2);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('ANSWER_TOO_LARGE');
    const listed = await stored(examId);
    expect(listed.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(QUOTA);
    expect(listed.map((f) => f.id).sort()).toEqual(accepted.flatMap((r) => r.body.files.map((f: Ref) => f.id)).sort());
    expect(incoming(server)).toEqual([]);
  });
});

describe('uploads that end early', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let student: string;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 1);
    [staff, student] = await Promise.all([server.login('staff'), server.login('s01')]);
  });
  afterAll(() => server.stop());

  it('leave no partial file and no open descriptor: 45 connections cut mid-upload and 5 client aborts', async () => {
    const examId = await createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'task' });
    const [ticket] = await addTickets(server, staff, await createExam(server, staff, u), 1);
    const endpoint = `/files/answers/${examId}`;
    // warm up whatever pools the requests use (database connections, the spec's own HTTP client), then count
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) => uploadFiles(server, student, endpoint, [{ name: `warm${n}.txt`, content: 'warm' }])),
    );
    const rowsBefore = await rowCount(server);
    await sleep(200);
    const descriptorsBefore = openDescriptors();

    let partials = 0;
    for (let i = 0; i < 45; i++) {
      const [token, target] = i % 9 === 8 ? [staff, `/files/tickets/${ticket}`] : [student, endpoint];
      if (await cutUpload(server, token, target, i % 5 === 0 ? 'headers' : 'bytes', i % 3 === 0)) partials++;
    }
    for (let i = 0; i < 5; i++) if (await abortedUpload(server, student, endpoint)) partials++;
    expect(partials)
      .withContext('cuts that fell mid-write, after the partial file was begun')
      .toBeGreaterThanOrEqual(30);

    const incomingDir = path.join(storeDir(server), 'incoming');
    await eventually(
      () =>
        incoming(server).length === 0 &&
        descriptorsUnder(storeDir(server)).length === 0 &&
        openDescriptors() <= descriptorsBefore,
    );
    expect(fs.readdirSync(incomingDir)).withContext('stray files under incoming/').toEqual([]);
    expect(descriptorsUnder(storeDir(server)))
      .withContext('descriptors still open on uploads')
      .toEqual([]);
    expect(openDescriptors()).withContext('open descriptors of the process').toBeLessThanOrEqual(descriptorsBefore);
    expect(await rowCount(server)).toBe(rowsBefore);

    // and the server goes on as before
    const after = await uploadFiles(server, student, endpoint, [{ name: 'after.txt', content: 'still accepted' }]);
    expect(after.status).toBe(201);
  }, 60_000);

  it('are refused whole, with nothing left behind, when the answer was sent while the file was still arriving', async () => {
    const examId = await createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'task' });
    const incomingDir = path.join(storeDir(server), 'incoming');
    const rowsBefore = await rowCount(server);
    let finishBody!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from(partHead('late.pdf')));
        controller.enqueue(Buffer.alloc(32 * 1024, 9));
        finishBody = () => {
          controller.enqueue(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
          controller.close();
        };
      },
    });
    const response = fetch(`${server.url}/files/answers/${examId}`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { authorization: `Bearer ${student}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    } as RequestInit);
    expect(await eventually(() => fs.readdirSync(incomingDir).length > 0, 3000))
      .withContext('the partial file is being written')
      .toBeTrue();
    await server.ok(
      student,
      'mutation($e:ID!){ submitAnswer(examId:$e, text:"Sent before the file arrived"){ status } }',
      { e: examId },
    );
    finishBody();
    const res = await response;
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ANSWER_SUBMITTED');
    expect(fs.readdirSync(incomingDir)).toEqual([]);
    expect(descriptorsUnder(storeDir(server))).toEqual([]);
    expect(await rowCount(server)).toBe(rowsBefore);
  });

  it("are swept at start when a process died mid-upload: only files untouched for an hour, so other instances' live uploads stay", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-sweep-'));
    const incomingDir = path.join(dataDir, 'files', 'incoming');
    fs.mkdirSync(incomingDir, { recursive: true });
    const stale = [randomUUID(), randomUUID()].map((id) => path.join(incomingDir, id));
    const live = path.join(incomingDir, randomUUID());
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const file of stale) {
      fs.writeFileSync(file, 'half of an upload');
      fs.utimesSync(file, twoHoursAgo, twoHoursAgo);
    }
    fs.writeFileSync(live, 'another instance is writing this');
    const restarted = await startTestServer({ dataDir });
    try {
      for (const file of stale) expect(fs.existsSync(file)).withContext(path.basename(file)).toBeFalse();
      expect(fs.existsSync(live)).toBeTrue();
    } finally {
      await restarted.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
