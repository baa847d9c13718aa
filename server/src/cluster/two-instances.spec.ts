import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { Client as WsClient } from 'graphql-ws';
import { gql, listen, login, startInstance, ws, type Instance } from './processes';

/**
 * Two server processes on one PostgreSQL and one Redis, as behind a load balancer:
 * staff on instance A, students on instance B. Runs when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (`.ci/run` starts both).
 */
const pgBase = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

describe('two instances on one PostgreSQL and one Redis', () => {
  let a: Instance;
  let b: Instance;
  let dbName: string;
  let dataDir: string;
  let staff: string;
  let students: string[];
  let studentIds: string[];
  let examId: string;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    if (!pgBase || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set for this suite');
    dbName = `att_cluster_${randomBytes(5).toString('hex')}`;
    const admin = new PgClient({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const dbUrl = new URL(pgBase);
    dbUrl.pathname = `/${dbName}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-cluster-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redisUrl,
      SEED_DEMO: 'true',
      HEARTBEAT_MS: '500',
      PRESENCE_TTL_MS: '1500',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
    staff = await login(a.url, 'staff');
    students = await Promise.all(
      Array.from({ length: 10 }, (_, i) => login(b.url, `student${String(i + 1).padStart(2, '0')}`)),
    );
    studentIds = await Promise.all(students.map(async (t) => (await gql(b.url, t, '{ me { id } }')).data.me.id));
    const years = await gql(a.url, staff, '{ academicYears { id periods { id startsOn endsOn } } }');
    const today = new Date().toISOString().slice(0, 10);
    const period =
      years.data.academicYears
        .flatMap((y: any) => y.periods)
        .find((p: any) => p.startsOn <= today && today <= p.endsOn) ?? years.data.academicYears[0].periods[0];
    const exams = await gql(
      a.url,
      staff,
      'query($p:ID!){ exams(periodId:$p){ id format ticketAssignment startsAt } }',
      { p: period.id },
    );
    examId = exams.data.exams.find(
      (e: any) =>
        e.format === 'TICKETS' && e.ticketAssignment === 'STUDENT_CHOICE' && Date.parse(e.startsAt) < Date.now(),
    ).id;
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    for (const i of [a, b]) i?.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const admin = new PgClient({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('carries presence, the board, a ticket race, a release and saved work across instances, and survives losing one', async () => {
    const staffWs = ws(a.url, staff);
    clients.push(staffWs);
    const room = listen(staffWs, 'subscription($e:ID!){ sittingChanged(examId:$e){ student{ id } online } }', {
      e: examId,
    });
    const staffTickets = listen(staffWs, 'subscription($e:ID!){ sittingChanged(examId:$e){ ticketNumber } }', {
      e: examId,
    });
    await new Promise((r) => setTimeout(r, 300));

    // presence: a student's page on B shows online for staff on A
    const studentWs = ws(b.url, students[0]);
    clients.push(studentWs);
    const released = listen(studentWs, 'subscription($e:ID!){ questionsReleased(examId:$e){ questionsReleasedAt } }', {
      e: examId,
    });
    await room.until((p) => p.sittingChanged.student.id === studentIds[0] && p.sittingChanged.online === true);

    // the race: ten students, half through each instance, all on one ticket
    const board = await gql(b.url, students[0], 'query($e:ID!){ exam(id:$e){ ticketBoard { id taken } } }', {
      e: examId,
    });
    const ticketId = board.data.exam.ticketBoard.find((t: any) => !t.taken).id;
    const results = await Promise.all(
      students.map((t, i) =>
        gql(
          i % 2 ? a.url : b.url,
          t,
          'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ ticketNumber } }',
          { e: examId, t: ticketId },
        ),
      ),
    );
    const winners = results.map((r, i) => (r.data ? i : -1)).filter((i) => i >= 0);
    expect(winners.length).toBe(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'TICKET_TAKEN').length).toBe(9);
    await staffTickets.until((p) => p.sittingChanged.ticketNumber !== null);

    // the release made on A reaches the winner's page on B (give student 0 a ticket if another student won)
    const winner = winners[0];
    if (winner !== 0) {
      const free = (
        await gql(b.url, students[0], 'query($e:ID!){ exam(id:$e){ ticketBoard { id taken } } }', { e: examId })
      ).data.exam.ticketBoard.find((t: any) => !t.taken).id;
      await gql(b.url, students[0], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ ticketNumber } }', {
        e: examId,
        t: free,
      });
    }
    await gql(a.url, staff, 'mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s){ id } }', {
      e: examId,
      s: [studentIds[0]],
    });
    await released.until((p) => !!p.questionsReleased.questionsReleasedAt);

    // acknowledged work on B: a view and a sent answer
    await gql(b.url, students[0], 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId });
    const sent = await gql(
      b.url,
      students[0],
      'mutation($e:ID!){ submitAnswer(examId:$e, text:"Sent through instance B"){ submittedAt } }',
      { e: examId },
    );
    expect(sent.data.submitAnswer.submittedAt).toBeTruthy();

    // B dies without a word: its student turns offline for staff on A within the presence bound
    const killedAt = Date.now();
    b.process.kill('SIGKILL');
    await room.until((p) => p.sittingChanged.student.id === studentIds[0] && p.sittingChanged.online === false, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(8000);

    // nothing acknowledged was lost, and the student is online again once their page reconnects to A
    const check = await gql(
      a.url,
      staff,
      'query($e:ID!){ exam(id:$e){ sittings { student { id } online questionsViewedAt answer { text status } } } }',
      { e: examId },
    );
    const mine = check.data.exam.sittings.find((s: any) => s.student.id === studentIds[0]);
    expect(mine.answer).toEqual({ text: 'Sent through instance B', status: 'SUBMITTED' });
    expect(mine.questionsViewedAt).toBeTruthy();
    expect(mine.online).toBeFalse();
    const again = ws(a.url, students[0]);
    clients.push(again);
    listen(again, 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id } }', { e: examId });
    await room.until(
      (p) =>
        p.sittingChanged.student.id === studentIds[0] &&
        p.sittingChanged.online === true &&
        room.pushes.indexOf(p) > 0 &&
        room.pushes
          .slice(0, room.pushes.indexOf(p))
          .some((q) => q.sittingChanged.student.id === studentIds[0] && q.sittingChanged.online === false),
    );
  }, 120_000);
});
