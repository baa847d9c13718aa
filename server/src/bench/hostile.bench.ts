import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * `npm run bench:hostile` (issue 8): a student's ordinary exam-list query, its p95 on a quiet server and again while
 * two clients send the attack documents in a loop — a 14-deep academicYears/periods nesting and 1,000 aliases
 * of exam { ticketBoard } as a signed-in student, and 100,000 __typename aliases (1.7 MB) with no account. The server
 * is the real one (server/dist/main.js, demo university, SQLite) in its own process, as `npm start` runs it; this
 * process is only the clients, the attackers in worker threads of their own so that their client-side work (encoding
 * 1.7 MB bodies) does not delay the student's timer. Goal: the p95 under attack at most 2× the quiet one.
 */
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
/** quiet and attacked phases alternate, so that the machine's other load falls on both alike */
const ROUNDS = 3;
const ATTACKERS = 2;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, token: string | null, body: string | Buffer): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

function nestedCalendar(depth: number): string {
  const names = ['academicYears', 'periods', 'academicYear'];
  let query = 'title';
  for (let level = depth - 1; level >= 1; level--)
    query = `${level === 1 ? names[0] : level % 2 === 0 ? names[1] : names[2]} { ${query} }`;
  return `{ ${query} }`;
}

async function main() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-'));
  const server = spawn(process.execPath, [path.resolve(__dirname, '../main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      if (tries > 600) throw new Error('the server did not get ready in 60 s');
      if (
        await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    const login = async (name: string) =>
      (
        await post(
          url,
          null,
          JSON.stringify({
            query: 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }',
            variables: { l: name, p: 'demo' },
          }),
        )
      ).json.data.login.token as string;
    const student = await login('student01');
    const attacker = await login('student02');
    const years = (await post(url, student, JSON.stringify({ query: '{ academicYears { id } }' }))).json.data
      .academicYears;
    const listQuery = JSON.stringify({
      query: `query($y: ID!) { me { login } myExams(academicYearId: $y) { id startsAt endsAt discipline { title } teacher { fullName }
        mySitting { ticketNumber submittedAt grade { score letter } } } }`,
      variables: { y: years[0].id },
    });
    const exams = (await post(url, student, listQuery)).json.data.myExams;
    const examId = exams[0].id;

    const attacks: { name: string; token: string | null; body: string }[] = [
      { name: 'depth 14', token: attacker, body: JSON.stringify({ query: nestedCalendar(14) }) },
      {
        name: '1,000 × exam { ticketBoard }',
        token: attacker,
        body: JSON.stringify({
          query: `{ ${Array.from({ length: 1000 }, (_, i) => `e${i}: exam(id: "${examId}") { ticketBoard { id number taken } }`).join(' ')} }`,
        }),
      },
      {
        name: '100,000 × __typename (anonymous)',
        token: null,
        body: JSON.stringify({
          query: `{ ${Array.from({ length: 100_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
        }),
      },
    ];

    const measure = async (times: number[]) => {
      for (let i = 0; i < SAMPLES / ROUNDS; i++) {
        const started = performance.now();
        const { status, json } = await post(url, student, listQuery);
        times.push(performance.now() - started);
        if (status !== 200 || !json.data?.myExams)
          throw new Error(`the student's query failed: ${status} ${JSON.stringify(json).slice(0, 200)}`);
      }
    };

    for (let i = 0; i < 20; i++) await post(url, student, listQuery); // warm-up
    const quiet: number[] = [];
    const underAttack: number[] = [];
    const reports: AttackReport[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await measure(quiet);
      const workers = Array.from(
        { length: ATTACKERS },
        (_, n) => new Worker(__filename, { workerData: { url, attacks, first: n + round } }),
      );
      await sleep(300);
      await measure(underAttack);
      reports.push(
        ...(await Promise.all(
          workers.map(
            (worker) =>
              new Promise<AttackReport>((resolve) => {
                worker.once('message', resolve);
                worker.postMessage('stop');
              }),
          ),
        )),
      );
    }
    const refused = new Map<string, { count: number; totalMs: number; statuses: Set<number> }>();
    for (const report of reports) {
      for (const [name, entry] of Object.entries(report)) {
        const total = refused.get(name) ?? { count: 0, totalMs: 0, statuses: new Set<number>() };
        total.count += entry.count;
        total.totalMs += entry.totalMs;
        entry.statuses.forEach((s) => total.statuses.add(s));
        refused.set(name, total);
      }
    }

    const p95Quiet = percentile(quiet, 95);
    const p95Attack = percentile(underAttack, 95);
    console.log(
      `a student's exam list, ${quiet.length} requests each way in ${ROUNDS} alternating rounds, server: real main.js on SQLite (demo university)`,
    );
    console.log(`quiet:        p50 ${percentile(quiet, 50).toFixed(1)} ms  p95 ${p95Quiet.toFixed(1)} ms`);
    console.log(
      `under attack: p50 ${percentile(underAttack, 50).toFixed(1)} ms  p95 ${p95Attack.toFixed(1)} ms  (${ATTACKERS} clients sending the attacks in a loop)`,
    );
    console.log(`p95 ratio under attack / quiet: ×${(p95Attack / p95Quiet).toFixed(2)} (goal ≤ ×2)`);
    for (const [name, entry] of refused) {
      console.log(
        `  attack ${name.padEnd(34)} ${String(entry.count).padStart(5)} sent, mean ${(entry.totalMs / entry.count).toFixed(1)} ms, statuses ${[...entry.statuses].join(',')}`,
      );
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

type AttackReport = Record<string, { count: number; totalMs: number; statuses: number[] }>;

/** one attacker: sends the attacks in turn, as fast as they are answered, until told to stop */
async function attack(): Promise<void> {
  const { url, attacks, first } = workerData as {
    url: string;
    attacks: { name: string; token: string | null; body: string }[];
    first: number;
  };
  const bodies = attacks.map((a) => Buffer.from(a.body));
  let stopping = false;
  parentPort!.once('message', () => (stopping = true));
  const report: AttackReport = {};
  for (let i = first; !stopping; i++) {
    const n = i % attacks.length;
    const started = performance.now();
    const { status } = await post(url, attacks[n].token, bodies[n]);
    const entry = (report[attacks[n].name] ??= { count: 0, totalMs: 0, statuses: [] });
    entry.count++;
    entry.totalMs += performance.now() - started;
    if (!entry.statuses.includes(status)) entry.statuses.push(status);
  }
  parentPort!.postMessage(report);
}

(isMainThread ? main() : attack()).catch((error) => {
  console.error(error);
  process.exit(1);
});
