import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { clientOperation } from '../../testing/client-operations';
import { graphql, percentile, postFile } from '../load';
import { withSqlite } from '../sqlite';
import type { RunContext, RunOutcome, Scenario } from '../runner';

const MB = 1024 * 1024;
/** student i sends a file of 1–5 MB (cycling), all views of one random buffer */
const CONTENT = randomBytes(5 * MB);
const fileOf = (i: number) => CONTENT.subarray(0, (1 + (i % 5)) * MB);
const ANSWER = 'My answer is in the attached file; the derivation is on pages 1–3.';

/** every uploader at once: ours uploads to its answer, saves and sends it; the baseline only streams the same bytes to disk */
async function uploadAll(
  ctx: RunContext,
  send: (i: number) => Promise<void>,
): Promise<{ elapsedMs: number; latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ctx.fixture.sizes.uploaders }, async (_, i) => {
      const start = performance.now();
      try {
        await send(i);
        latencies.push(performance.now() - start);
      } catch (error) {
        if (failures.length < 3) failures.push((error as Error).message.slice(0, 200));
      }
    }),
  );
  return { elapsedMs: performance.now() - started, latencies, failures };
}

const totalBytes = (count: number) =>
  Array.from({ length: count }, (_, i) => fileOf(i).length).reduce((a, b) => a + b, 0);

function figures(ctx: RunContext, run: { elapsedMs: number; latencies: number[] }, lost: number) {
  return {
    mbPerSec: totalBytes(ctx.fixture.sizes.uploaders) / MB / (run.elapsedMs / 1000),
    p99Ms: percentile(run.latencies, 99),
    lost,
    units: ctx.fixture.sizes.uploaders,
  };
}

async function ours(ctx: RunContext): Promise<RunOutcome> {
  const { fixture } = ctx;
  const examId = fixture.uploadExamId;
  const run = await uploadAll(ctx, async (i) => {
    const { token } = fixture.students[i];
    const upload = await postFile(`${ctx.target.url}/files/answers/${examId}`, token, `work-${i}.bin`, fileOf(i));
    if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${upload.body.slice(0, 200)}`);
    for (const operation of ['SaveAnswer', 'SubmitAnswer']) {
      const reply = await graphql(ctx.target.url, token, clientOperation(operation), { examId, text: ANSWER });
      if (reply.errors) throw new Error(`${operation}: ${JSON.stringify(reply.errors).slice(0, 200)}`);
    }
  });
  // 0 lost: every student's file is in the database with its size, on disk with that size, and the answer is sent
  const stored = await withSqlite(
    ctx.dbFile,
    (db) =>
      db
        .prepare(
          `select f.id, f.size, a.submitted_at as submittedAt from stored_files f
    join answers a on f.answer_id = a.id join sittings s on a.sitting_id = s.id where s.exam_id = ?`,
        )
        .all(examId) as { id: string; size: number; submittedAt: unknown }[],
  );
  const sound = stored.filter(
    (f) =>
      f.submittedAt != null &&
      fs.statSync(path.join(ctx.dataDir, 'files', f.id.slice(0, 2), f.id), { throwIfNoEntry: false })?.size === f.size,
  );
  const expected = totalBytes(fixture.sizes.uploaders);
  const storedBytes = sound.reduce((sum, f) => sum + f.size, 0);
  const notes = run.failures.map((f) => `failed: ${f}`);
  if (storedBytes !== expected) notes.push(`${storedBytes} bytes stored and sent, expected ${expected}`);
  return { figures: figures(ctx, run, fixture.sizes.uploaders - sound.length), notes };
}

async function baseline(ctx: RunContext): Promise<RunOutcome> {
  const run = await uploadAll(ctx, async (i) => {
    const upload = await postFile(
      `${ctx.target.url}/upload/${i}`,
      ctx.fixture.students[i].token,
      `work-${i}.bin`,
      fileOf(i),
    );
    if (upload.status !== 201) throw new Error(`upload: ${upload.status}`);
  });
  const dir = path.join(ctx.dataDir, 'bare-uploads');
  const sizes = fs
    .readdirSync(dir)
    .map((name) => fs.statSync(path.join(dir, name)).size)
    .sort((a, b) => a - b);
  const wanted = Array.from({ length: ctx.fixture.sizes.uploaders }, (_, i) => fileOf(i).length).sort((a, b) => a - b);
  const lost = wanted.filter((size, i) => !(sizes[i] >= size)).length; // each file is the whole multipart body, a little larger
  return { figures: figures(ctx, run, lost), notes: run.failures.map((f) => `failed: ${f}`) };
}

export const s5Uploads: Scenario = {
  id: 'S5',
  title:
    "the upload exam's students at once each upload a 1–5 MB file to their answer, save and send it; baseline: bare node:http streaming the same bodies to disk",
  timeoutMs: Number(process.env.BENCH_UPLOAD_TIMEOUT_S ?? 120) * 1000,
  baseline: { mode: 'bare', run: baseline },
  ours: { mode: 'app', run: ours },
  rows: [
    {
      label: 'upload + save + send throughput',
      figure: 'mbPerSec',
      unit: 'MB/s',
      goal: { text: '≥ 0.5× baseline', met: (_, ratio) => ratio >= 0.5 },
    },
    { label: "one student's upload + save + send p99", figure: 'p99Ms', unit: 'ms', lowerIsBetter: true },
    {
      label: 'lost (not in the database, on disk and sent)',
      figure: 'lost',
      unit: '',
      lowerIsBetter: true,
      goal: { text: '0', met: (o) => o === 0 },
    },
    {
      label: 'server CPU a student (baseline: the upload alone)',
      figure: 'cpuMsPerUnit',
      unit: 'ms',
      lowerIsBetter: true,
    },
  ],
};
