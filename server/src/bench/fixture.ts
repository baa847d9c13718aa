import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/core';
import { createApp } from '../app';
import { loadConfig, type Config } from '../config';
import { Sitting } from '../modules/sittings/sitting.entity';
import { Ticket } from '../modules/tickets/ticket.entity';
import { User } from '../modules/users/user.entity';
import { openSession } from '../testing/crowd';
import { createExam, minutes, seedUniversity, TestServer } from '../testing/harness';
import { clientOperation } from '../testing/client-operations';

/** How big each scenario is; every count is a slice of the fixture's students. */
export interface Sizes {
  students: number;
  /** the crowd of S2/S3: the first `sockets` students; the next one is the chooser */
  sockets: number;
  /** tiles on the S3 board (one is chosen; every viewer gets the board anew) */
  boardTickets: number;
  pageStudents: number;
  racers: number;
  raceTickets: number;
  uploaders: number;
  logins: number;
}

const size = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
};

export function sizesFromEnvironment(): Sizes {
  const students = size('BENCH_STUDENTS', 5001);
  const slice = (name: string, fallback: number) => Math.min(students, size(name, fallback));
  return {
    students,
    sockets: Math.min(students - 1, size('BENCH_SOCKETS', students)),
    boardTickets: size('BENCH_BOARD_TICKETS', 300),
    pageStudents: slice('BENCH_PAGE_STUDENTS', 100),
    racers: slice('BENCH_RACERS', 1000),
    raceTickets: size('BENCH_RACE_TICKETS', 300),
    uploaders: slice('BENCH_UPLOADERS', 200),
    logins: slice('BENCH_LOGINS', 300),
  };
}

interface Student {
  id: string;
  login: string;
  token: string;
}

/** What the scenarios need to know about the database they are given a copy of. */
export interface Fixture {
  dir: string;
  sizes: Sizes;
  staffToken: string;
  students: Student[];
  passwordHash: string;
  /** the crowd (the first `sockets` students), each holding a ticket: the questions are released to them in S3 */
  releaseExamId: string;
  /** the crowd's students and one more, the chooser, none holding a ticket yet (only they are shown the board) */
  boardExamId: string;
  /** the ticket the chooser (the student after the crowd, holding no socket) takes in S3 */
  boardTicketId: string;
  /** the first `pageStudents`, each holding a ticket (S1) */
  pageExamId: string;
  /** the first `racers`, none holding a ticket, `raceTickets` tickets (S4) */
  raceExamId: string;
  raceTicketIds: string[];
  /** the first `uploaders`, a task exam whose answer block is open (S5) */
  uploadExamId: string;
  /** the baselines' bytes: the exam page as student 1 sees it, and the two pushes as they would be framed */
  pageBody: string;
  boardFrame: string;
  releaseFrame: string;
}

/** The server as the suite runs it: production defaults, except the per-address limits (every client is 127.0.0.1). */
export function benchConfig(dataDir: string): Config {
  return loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: undefined,
      redisUrl: undefined,
      seedDemo: false,
      clientDir: undefined,
      shutdownDelayMs: 0,
      loginAddressFailures: 1_000_000,
      anonymousRequestsPerMinute: 1_000_000,
      savesPerMinute: 1_000_000,
    },
  );
}

const EXAM_HOURS = 8;

/** tickets 1..count for an exam; the i-th of `holders` holds ticket i */
async function addTickets(em: EntityManager, examId: string, count: number, holders: number): Promise<Ticket[]> {
  const sittings = await em.find(Sitting, { exam: examId }, { orderBy: { student: { login: 'asc' } } });
  const tickets = Array.from({ length: count }, (_, i) =>
    em.create(Ticket, {
      exam: examId,
      number: i + 1,
      questions: `Questions of ticket ${i + 1}: ${'explain, prove, compute. '.repeat(4)}`,
    }),
  );
  sittings.slice(0, holders).forEach((sitting, i) => {
    sitting.ticket = tickets[i];
    sitting.ticketChosenAt = new Date();
  });
  await em.flush();
  return tickets;
}

/** Builds the fixture once per suite run: a SQLite database (and data directory) that each run gets a copy of. */
export async function buildFixture(sizes: Sizes): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-fixture-'));
  const app = await createApp(benchConfig(dir));
  const server = new TestServer(app, () => app.stop());
  try {
    const u = await seedUniversity(server, sizes.students);
    const staffToken = await server.login('staff');
    const em = app.orm.em.fork();
    const students = [...u.students]
      .sort((a, b) => a.login.localeCompare(b.login))
      .map((s) => ({ id: s.id, login: s.login, token: openSession(em, em.getReference(User, s.id), 24) }));
    await em.flush();
    const exam = (count: number, input: Record<string, unknown> = {}) => {
      const enrolled = new Set(students.slice(0, count).map((s) => s.id));
      return createExam(
        server,
        staffToken,
        { ...u, students: u.students.filter((s) => enrolled.has(s.id)) },
        { startsAt: minutes(-1), endsAt: minutes(EXAM_HOURS * 60), ...input },
      );
    };

    const releaseExamId = await exam(sizes.sockets);
    await addTickets(em, releaseExamId, sizes.sockets, sizes.sockets);
    const boardExamId = await exam(sizes.sockets + 1);
    const boardTickets = await addTickets(em, boardExamId, sizes.boardTickets, 0);
    const pageExamId = await exam(sizes.pageStudents);
    await addTickets(em, pageExamId, sizes.pageStudents, sizes.pageStudents);
    const raceExamId = await exam(sizes.racers);
    const raceTickets = await addTickets(em, raceExamId, sizes.raceTickets, 0);
    const uploadExamId = await exam(sizes.uploaders, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Solve the task; attach your work as a file.',
    });

    const page = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${students[0].token}` },
      body: JSON.stringify({ query: clientOperation('StudentExam'), variables: { id: pageExamId } }),
    });
    const pageBody = await page.text();
    if (!page.ok || !pageBody.startsWith('{"data":{"exam":{'))
      throw new Error(`the exam page did not load in the fixture: ${pageBody.slice(0, 300)}`);
    const seen = await server.ok(
      students[0].token,
      `query($r: ID!, $b: ID!) { release: exam(id: $r) { mySitting { ...StudentSitting } }
      board: exam(id: $b) { ticketBoard { id taken } } } ${clientOperation('StudentSitting')}`,
      { r: releaseExamId, b: boardExamId },
    );
    if (seen.board.ticketBoard?.length !== sizes.boardTickets)
      throw new Error("the fixture's board exam does not show its board");
    const frame = (id: string, data: unknown) => JSON.stringify({ id, type: 'next', payload: { data } });
    const passwordHash = (await em.findOneOrFail(User, { id: students[0].id })).passwordHash!;
    return {
      dir,
      sizes,
      staffToken,
      students,
      passwordHash,
      releaseExamId,
      boardExamId,
      boardTicketId: boardTickets[0].id,
      pageExamId,
      raceExamId,
      raceTicketIds: raceTickets.map((t) => t.id),
      uploadExamId,
      pageBody,
      boardFrame: frame('2', { ticketBoardChanged: seen.board.ticketBoard }),
      releaseFrame: frame('1', {
        questionsReleased: { ...seen.release.mySitting, questionsReleasedAt: new Date().toISOString() },
      }),
    };
  } finally {
    await server.stop();
  }
}

/** A fresh copy of the fixture's data directory for one run (every run starts from the same state); `remove` when done. */
export function copyFixture(fixture: Fixture): { dataDir: string; remove: () => void } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-bench-run-'));
  fs.cpSync(fixture.dir, dataDir, { recursive: true });
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

export function removeFixture(fixture: Fixture): void {
  fs.rmSync(fixture.dir, { recursive: true, force: true });
}
