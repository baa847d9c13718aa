import 'reflect-metadata';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AuthSession } from '../modules/auth/auth-session.entity';
import { tokenHash } from '../modules/auth/auth.service';
import { Sitting } from '../modules/sittings/sitting.entity';
import { Ticket } from '../modules/tickets/ticket.entity';
import { createExam, seedUniversity, startTestServer } from '../testing/harness';
import type { RaceCommand, RaceReport } from './ticket-race-clients';

/**
 * `npm run bench:race` — S4 of issue 10: STUDENTS students race for TICKETS tickets with chooseTicket, sent
 * from a child process; the server's event-loop delay is sampled meanwhile. The baseline, in the same run,
 * is the same number of conditional UPDATEs sent to better-sqlite3 directly. Pairs are interleaved; medians.
 */
/** the few better-sqlite3 calls the baseline uses (the package ships no types; MikroORM's driver depends on it) */
interface SqliteDb {
  pragma(sql: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  transaction(work: () => void): () => void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => SqliteDb;

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 1000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 300);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
};
const median = (values: number[]) => quantile(values, 0.5);

interface ServerRun {
  attemptsPerSecond: number;
  attempts: number;
  p50Ms: number;
  p99Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  doubleBookings: number;
  refusals: Record<string, number>;
}

function runClients(command: RaceCommand): Promise<RaceReport> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'ticket-race-clients.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (report) => resolve(report as RaceReport));
    child.once('exit', (code) => code && reject(new Error(`clients exited with ${code}`)));
    child.send(command);
  });
}

async function serverRace(): Promise<ServerRun> {
  const server = await startTestServer();
  try {
    const u = await seedUniversity(server, STUDENTS);
    const staff = await server.login('staff');
    const examId = await createExam(server, staff, u);
    // tickets and sessions straight to the database (STUDENTS logins would spend minutes in scrypt)
    const em = server.app.orm.em.fork();
    const tickets = Array.from({ length: TICKETS }, (_, i) => em.create(Ticket, { exam: examId, number: i + 1, questions: `Questions of ticket ${i + 1}` }));
    const tokens = u.students.map((student) => {
      const token = randomBytes(24).toString('base64url');
      em.create(AuthSession, { tokenHash: tokenHash(token), user: student, expiresAt: new Date(Date.now() + 3600_000) });
      return token;
    });
    await em.flush();

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const report = await runClients({ url: server.url, examId, tokens, ticketIds: tickets.map((t) => t.id) });
    lag.disable();

    // double bookings: a ticket held twice, a winner told a number another winner holds, or winners ≠ holders
    const held = await server.app.orm.em.fork().find(Sitting, { exam: examId, ticket: { $ne: null } }, { populate: ['ticket'] });
    const byTicket = new Map<string, number>();
    for (const s of held) byTicket.set(s.ticket!.id, (byTicket.get(s.ticket!.id) ?? 0) + 1);
    const heldTwice = [...byTicket.values()].filter((n) => n > 1).length;
    const told = new Set(report.won.map((w) => w.ticketNumber));
    const heldNumbers = new Map(held.map((s) => [s.student.id, s.ticket!.number]));
    const mismatched = report.won.filter((w) => heldNumbers.get(u.students[w.student].id) !== w.ticketNumber).length;
    const doubleBookings = heldTwice + (report.won.length - told.size) + mismatched + Math.abs(report.won.length - held.length);
    if (held.length !== Math.min(TICKETS, STUDENTS)) console.log(`  !! ${held.length} tickets held, expected ${Math.min(TICKETS, STUDENTS)}`);
    return {
      attempts: report.attempts,
      attemptsPerSecond: report.attempts / report.seconds,
      p50Ms: quantile(report.latenciesMs, 0.5),
      p99Ms: quantile(report.latenciesMs, 0.99),
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      doubleBookings,
      refusals: report.refusals,
    };
  } finally {
    await server.stop();
  }
}

/** The same number of attempts as conditional UPDATEs on better-sqlite3 (WAL), random student and tile each. */
function baselineRace(attempts: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-race-'));
  const db = new Database(path.join(dir, 'race.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('create table tickets (id text primary key, number integer not null)');
    db.exec('create table sittings (id text primary key, ticket_id text unique references tickets(id), ticket_chosen_at integer)');
    const tickets = Array.from({ length: TICKETS }, (_, i) => ({ id: randomUUID(), number: i + 1 }));
    const sittings = Array.from({ length: STUDENTS }, () => randomUUID());
    db.transaction(() => {
      const t = db.prepare('insert into tickets (id, number) values (?, ?)');
      for (const ticket of tickets) t.run(ticket.id, ticket.number);
      const s = db.prepare('insert into sittings (id) values (?)');
      for (const id of sittings) s.run(id);
    })();
    const choose = db.prepare('update sittings set ticket_id = ?, ticket_chosen_at = ? where id = ? and ticket_id is null');
    const started = performance.now();
    for (let i = 0; i < attempts; i++) {
      try {
        choose.run(tickets[Math.floor(Math.random() * TICKETS)].id, Date.now(), sittings[Math.floor(Math.random() * STUDENTS)]);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      }
    }
    return attempts / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`S4: ${STUDENTS} students race for ${TICKETS} tickets (chooseTicket over HTTP from a child process), ${PAIRS} pairs with the baseline`);
  const runs: ServerRun[] = [];
  const baselines: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const run = await serverRace();
    const baseline = baselineRace(run.attempts);
    runs.push(run);
    baselines.push(baseline);
    console.log(`  pair ${pair + 1}: server ${run.attemptsPerSecond.toFixed(0)} attempts/s (${run.attempts} attempts; p50 ${run.p50Ms.toFixed(0)} ms, p99 ${run.p99Ms.toFixed(0)} ms;`
      + ` loop lag p99 ${run.lagP99Ms.toFixed(0)} ms, max ${run.lagMaxMs.toFixed(0)} ms; double bookings ${run.doubleBookings}; ${JSON.stringify(run.refusals)})`
      + `  baseline ${baseline.toFixed(0)} attempts/s  ratio ${(run.attemptsPerSecond / baseline).toFixed(4)}×`);
  }
  const pick = (f: (r: ServerRun) => number) => median(runs.map(f));
  console.log(`S4 medians: ${pick((r) => r.attemptsPerSecond).toFixed(0)} attempts/s (spread ${Math.min(...runs.map((r) => r.attemptsPerSecond)).toFixed(0)}–${Math.max(...runs.map((r) => r.attemptsPerSecond)).toFixed(0)}),`
    + ` p99 ${pick((r) => r.p99Ms).toFixed(0)} ms, loop lag p99 ${pick((r) => r.lagP99Ms).toFixed(0)} ms, double bookings ${Math.max(...runs.map((r) => r.doubleBookings))};`
    + ` baseline ${median(baselines).toFixed(0)} attempts/s; ratio ${median(runs.map((r, i) => r.attemptsPerSecond / baselines[i])).toFixed(4)}×`);
  console.log('goals: ≥ 1000 attempts/s, p99 ≤ 2000 ms, loop lag p99 ≤ 100 ms, 0 double bookings');
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
