import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { AuthSession } from '../modules/auth/auth-session.entity';
import { tokenHash } from '../modules/auth/auth.service';
import { Answer, AnswerStatus } from '../modules/answers/answer.entity';
import { StoredFile } from '../modules/files/stored-file.entity';
import { createExam, seedUniversity, startTestServer, type TestServer, type University } from '../testing/harness';

/**
 * `npm run bench:uploads` (S5): N students each upload one file of 1–5 MB to their answer, then save and send it,
 * all at once, from a child process. Baseline, interleaved in the same run: bare node:http streaming the very same
 * multipart bodies to disk. Prints MB/s of the uploads, the ratio to the baseline (medians of the pairs), the server's
 * RSS growth, the files lost (answered 201 but not stored, or stored with the wrong size), and the save/send rates.
 */
const N = Number(process.env.BENCH_STUDENTS ?? 200);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const MB = 1024 * 1024;
/** BENCH_FILE_SCALE shrinks the files (0.001: 1–5 KB) to see what a request costs apart from its bytes */
const SCALE = Number(process.env.BENCH_FILE_SCALE ?? 1);
const sizeOf = (i: number) => Math.round(((1 + (i % 5)) * MB - (i % 7) * 1024) * SCALE); // 1–5 MB, a little uneven

interface Job {
  base: string;
  uploads: { path: string; token?: string }[];
  writes?: { token: string; examId: string }[];
}
interface ClientReport {
  uploadMs: number;
  bytes: number;
  statuses: Record<string, number>;
  saveMs: number;
  sendMs: number;
  writeFailures: number;
}

// ---- the clients (child process) -----------------------------------------------------------------

const boundary = 'bench-boundary-0123456789';
function bodyOf(size: number): Buffer {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="answer ${size}.bin"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n');
  return Buffer.concat([head, randomBytes(size), Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

function post(base: string, url: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(`${base}${url}`, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function runClients(job: Job): Promise<ClientReport> {
  const bodies = new Map<number, Buffer>();
  job.uploads.forEach((_, i) => bodies.set(sizeOf(i), bodies.get(sizeOf(i)) ?? bodyOf(sizeOf(i))));
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const start = performance.now();
  await Promise.all(job.uploads.map(async (u, i) => {
    const body = bodies.get(sizeOf(i))!;
    const status = await post(job.base, u.path, body, {
      'content-type': `multipart/form-data; boundary=${boundary}`, ...(u.token ? { authorization: `Bearer ${u.token}` } : {}),
    });
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 201) bytes += sizeOf(i);
  }));
  const uploadMs = performance.now() - start;
  let writeFailures = 0;
  const gql = (token: string, query: string, variables: Record<string, unknown>) =>
    fetch(`${job.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
      .then((r) => r.json() as Promise<{ errors?: unknown[] }>)
      .then((r) => { if (r.errors) writeFailures++; }, () => { writeFailures++; });
  const timed = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  const writes = job.writes ?? [];
  const saveMs = await timed(() => Promise.all(writes.map((w, i) =>
    gql(w.token, 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ savedAt } }', { e: w.examId, t: `Draft of student ${i}: `.repeat(20) }))));
  const sendMs = await timed(() => Promise.all(writes.map((w, i) =>
    gql(w.token, 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ submittedAt } }', { e: w.examId, t: `Answer of student ${i}: `.repeat(20) }))));
  return { uploadMs, bytes, statuses, saveMs, sendMs, writeFailures };
}

function clients(job: Job): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (report) => {
      resolve(report as ClientReport);
      child.kill();
    });
    child.once('error', reject);
    child.send(job);
  });
}

// ---- the servers ---------------------------------------------------------------------------------

/**
 * RSS growth and CPU time of this process (the servers live here) while `work` runs, RSS sampled every 20 ms. CPU
 * time per MB is the steadier figure on a busy machine, where wall time depends on who else runs.
 */
async function withRss<T>(work: () => Promise<T>): Promise<{ result: T; rssGrowth: number; cpuMs: number }> {
  global.gc?.();
  const before = process.memoryUsage.rss();
  const cpu = process.cpuUsage();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await work();
    const used = process.cpuUsage(cpu);
    return { result, rssGrowth: peak - before, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

/** The baseline: node:http writing each request body to its own file. */
async function bareServer(dir: string): Promise<{ base: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const sink = fs.createWriteStream(path.join(dir, `upload-${n++}`));
    req.pipe(sink);
    sink.on('close', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"files":[]}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function studentTokens(server: TestServer, u: University): Promise<string[]> {
  const em = server.app.orm.em.fork();
  const tokens = u.students.map((student) => {
    const token = randomBytes(24).toString('base64url');
    em.create(AuthSession, { tokenHash: tokenHash(token), user: student.id, expiresAt: new Date(Date.now() + 3600_000) });
    return token;
  });
  await em.flush();
  return tokens;
}

/** files answered 201 that are not stored as sent, and answers that are not SUBMITTED */
async function lost(server: TestServer, examId: string, accepted: number): Promise<{ files: number; unsent: number }> {
  const em = server.app.orm.em.fork();
  const files = await em.find(StoredFile, { answer: { sitting: { exam: examId } } });
  let intact = 0;
  for (const file of files) {
    const onDisk = fs.statSync(server.app.services.files.store.pathOf(file.id), { throwIfNoEntry: false });
    if (onDisk?.size === file.size) intact++;
  }
  const sent = await em.count(Answer, { sitting: { exam: examId }, status: AnswerStatus.SUBMITTED });
  return { files: accepted - intact, unsent: N - sent };
}

/** BENCH_PROFILE=<dir>: a CPU profile of the server process during each app round, for finding where the time goes. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

async function main() {
  const server = await startTestServer({ savesPerMinute: 100_000 });
  const bareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-bare-'));
  const bare = await bareServer(bareDir);
  try {
    const u = await seedUniversity(server, N);
    const staff = await server.login('staff');
    const tokens = await studentTokens(server, u);
    const rows: { bareMBs: number; appMBs: number; bareCpu: number; appCpu: number; bareRss: number; writeCpu: number; ratio: number; rss: number; lostFiles: number; unsent: number; saveMs: number; sendMs: number }[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const { result: baseline, cpuMs: bareCpuMs, rssGrowth: bareRss } = await withRss(() => clients({ base: bare.base, uploads: tokens.map(() => ({ path: '/upload' })) }));
      fs.rmSync(bareDir, { recursive: true, force: true });
      fs.mkdirSync(bareDir);
      const examId = await createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'Upload your work.' });
      const { result: app, rssGrowth, cpuMs: appCpuMs } = await withRss(() => profiled(`uploads-${pair + 1}`, () => clients({
        base: server.url,
        uploads: tokens.map((token) => ({ path: `/files/answers/${examId}`, token })),
      })));
      const { result: written, cpuMs: writesCpuMs } = await withRss(() => profiled(`writes-${pair + 1}`, () =>
        clients({ base: server.url, uploads: [], writes: tokens.map((token) => ({ token, examId })) })));
      Object.assign(app, { saveMs: written.saveMs, sendMs: written.sendMs, writeFailures: written.writeFailures });
      const accepted = app.statuses['201'] ?? 0;
      const missing = await lost(server, examId, accepted);
      const bareMBs = baseline.bytes / MB / (baseline.uploadMs / 1000);
      const appMBs = app.bytes / MB / (app.uploadMs / 1000);
      const bareCpu = bareCpuMs / (baseline.bytes / MB);
      const appCpu = appCpuMs / (app.bytes / MB);
      const writeCpu = writesCpuMs / (2 * N);
      rows.push({ bareMBs, appMBs, bareCpu, appCpu, bareRss: bareRss / MB, writeCpu, ratio: appMBs / bareMBs, rss: rssGrowth / MB, lostFiles: missing.files + (N - accepted), unsent: missing.unsent + app.writeFailures, saveMs: app.saveMs, sendMs: app.sendMs });
      console.log(`pair ${pair + 1}: bare ${bareMBs.toFixed(0)} MB/s, app ${appMBs.toFixed(0)} MB/s (${JSON.stringify(app.statuses)}), ×${(appMBs / bareMBs).toFixed(2)}, ` +
        `CPU ${bareCpu.toFixed(1)} vs ${appCpu.toFixed(1)} ms/MB, RSS +${(bareRss / MB).toFixed(0)} vs +${(rssGrowth / MB).toFixed(0)} MB, ` +
        `save/send CPU ${writeCpu.toFixed(1)} ms each, ${N} saves ${app.saveMs.toFixed(0)} ms, ${N} sends ${app.sendMs.toFixed(0)} ms, lost ${missing.files + N - accepted}, unsent ${missing.unsent}`);
    }
    const col = (pick: (r: (typeof rows)[number]) => number) => rows.map(pick);
    console.log(`S5 ${N} students × one 1–5 MB upload, then save and send; medians of ${PAIRS} pairs (spread)`);
    console.log(`  bare node:http to disk   ${median(col((r) => r.bareMBs)).toFixed(0)} MB/s (${spread(col((r) => r.bareMBs))})`);
    console.log(`  POST /files/answers      ${median(col((r) => r.appMBs)).toFixed(0)} MB/s (${spread(col((r) => r.appMBs))})`);
    console.log(`  ratio                    ×${median(col((r) => r.ratio)).toFixed(2)}   goal ≥ ×0.5`);
    console.log(`  server CPU per MB        bare ${median(col((r) => r.bareCpu)).toFixed(1)} ms, app ${median(col((r) => r.appCpu)).toFixed(1)} ms (×${median(col((r) => r.bareCpu / r.appCpu)).toFixed(2)})`);
    console.log(`  RSS growth               bare ${median(col((r) => r.bareRss)).toFixed(0)} MB, app ${median(col((r) => r.rss)).toFixed(0)} MB (${spread(col((r) => r.rss))})`);
    console.log(`  server CPU a save/send   ${median(col((r) => r.writeCpu)).toFixed(1)} ms`);
    console.log(`  ${N} saves / ${N} sends     ${median(col((r) => r.saveMs)).toFixed(0)} ms / ${median(col((r) => r.sendMs)).toFixed(0)} ms`);
    console.log(`  lost files, unsent       ${rows.reduce((s, r) => s + r.lostFiles, 0)}, ${rows.reduce((s, r) => s + r.unsent, 0)} (must be 0)`);
  } finally {
    await bare.close();
    fs.rmSync(bareDir, { recursive: true, force: true });
    await server.stop();
  }
}

if (process.argv[2] === 'clients') {
  process.once('message', (job: Job) => void runClients(job).then((report) => process.send!(report)));
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
