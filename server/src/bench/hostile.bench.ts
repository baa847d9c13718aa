import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench:hostile` (issue 8): a student's ordinary exam-list query, its p95 on a quiet server and again while
 * two clients send the attack documents in a loop — a 14-deep academicYears/periods nesting and 1,000 aliases
 * of exam { ticketBoard } as a signed-in student, and 100,000 __typename aliases (1.7 MB) with no account. The server
 * is the real one (server/dist/main.js, demo university, SQLite) in its own process, as `npm start` runs it; this
 * process is only the clients. Goal: the p95 under attack at most 2× the quiet one.
 */
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
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

async function post(url: string, token: string | null, body: string): Promise<{ status: number; json: any }> {
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
  for (let level = depth - 1; level >= 1; level--) query = `${level === 1 ? names[0] : level % 2 === 0 ? names[1] : names[2]} { ${query} }`;
  return `{ ${query} }`;
}

async function main() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-'));
  const server = spawn(process.execPath, [path.resolve(__dirname, '../main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', SEED_DEMO: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      if (tries > 600) throw new Error('the server did not get ready in 60 s');
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    const login = async (name: string) => (await post(url, null, JSON.stringify({
      query: 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', variables: { l: name, p: 'demo' },
    }))).json.data.login.token as string;
    const student = await login('student01');
    const attacker = await login('student02');
    const years = (await post(url, student, JSON.stringify({ query: '{ academicYears { id } }' }))).json.data.academicYears;
    const listQuery = JSON.stringify({
      query: `query($y: ID!) { me { login } myExams(academicYearId: $y) { id startsAt endsAt discipline { title } teacher { fullName }
        mySitting { ticketNumber submittedAt grade { score letter } } } }`,
      variables: { y: years[0].id },
    });
    const exams = (await post(url, student, listQuery)).json.data.myExams;
    const examId = exams[0].id;

    const attacks: { name: string; token: string | null; body: string }[] = [
      { name: 'depth 14', token: attacker, body: JSON.stringify({ query: nestedCalendar(14) }) },
      { name: '1,000 × exam { ticketBoard }', token: attacker, body: JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `e${i}: exam(id: "${examId}") { ticketBoard { id number taken } }`).join(' ')} }` }) },
      { name: '100,000 × __typename (anonymous)', token: null, body: JSON.stringify({ query: `{ ${Array.from({ length: 100_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }) },
    ];

    const measure = async () => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        const { status, json } = await post(url, student, listQuery);
        times.push(performance.now() - started);
        if (status !== 200 || !json.data?.myExams) throw new Error(`the student's query failed: ${status} ${JSON.stringify(json).slice(0, 200)}`);
      }
      return times;
    };

    for (let i = 0; i < 20; i++) await post(url, student, listQuery); // warm-up
    const quiet = await measure();

    let attacking = true;
    const refused = new Map<string, { count: number; totalMs: number; statuses: Set<number> }>();
    const attackLoops = Array.from({ length: ATTACKERS }, async (_, n) => {
      for (let i = n; attacking; i++) {
        const attack = attacks[i % attacks.length];
        const started = performance.now();
        const { status } = await post(url, attack.token, attack.body);
        const entry = refused.get(attack.name) ?? { count: 0, totalMs: 0, statuses: new Set<number>() };
        entry.count++;
        entry.totalMs += performance.now() - started;
        entry.statuses.add(status);
        refused.set(attack.name, entry);
      }
    });
    await sleep(200);
    const underAttack = await measure();
    attacking = false;
    await Promise.all(attackLoops);

    const p95Quiet = percentile(quiet, 95);
    const p95Attack = percentile(underAttack, 95);
    console.log(`a student's exam list, ${SAMPLES} requests each way, server: real main.js on SQLite (demo university)`);
    console.log(`quiet:        p50 ${percentile(quiet, 50).toFixed(1)} ms  p95 ${p95Quiet.toFixed(1)} ms`);
    console.log(`under attack: p50 ${percentile(underAttack, 50).toFixed(1)} ms  p95 ${p95Attack.toFixed(1)} ms  (${ATTACKERS} clients sending the attacks in a loop)`);
    console.log(`p95 ratio under attack / quiet: ×${(p95Attack / p95Quiet).toFixed(2)} (goal ≤ ×2)`);
    for (const [name, entry] of refused) {
      console.log(`  attack ${name.padEnd(34)} ${String(entry.count).padStart(5)} sent, mean ${(entry.totalMs / entry.count).toFixed(1)} ms, statuses ${[...entry.statuses].join(',')}`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
