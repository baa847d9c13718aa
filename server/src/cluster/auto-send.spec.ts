import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gql, listen, login, scratchDatabase, startInstance, ws, type Instance } from './processes';

const pgBase = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

/**
 * Issue 11 on a cluster: two server processes on one PostgreSQL and one Redis, both sweeping every 100 ms. Each draft
 * is sent once, with one trail entry, and a student's page on one instance hears the send made by either.
 */
describe('drafts sent at the end by two instances at once', () => {
  let a: Instance;
  let b: Instance;
  let drop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    if (!pgBase || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set for this suite');
    const db = await scratchDatabase(pgBase, 'att_autosend');
    drop = db.drop;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-autosend-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
      AUTO_SEND_SWEEP_MS: '100',
      AUTO_SEND_BATCH: '3',
      SEND_GRACE_MS: '0',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
  }, 120_000);

  afterAll(async () => {
    for (const i of [a, b]) i?.process.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('sends each of ten drafts once, and the page on the other instance hears it', async () => {
    const staff = await login(a.url, 'staff');
    const logins = Array.from({ length: 10 }, (_, i) => `student${String(i + 11).padStart(2, '0')}`);
    const tokens = await Promise.all(logins.map((l) => login(b.url, l)));
    const ids = await Promise.all(tokens.map(async (t) => (await gql(b.url, t, '{ me { id } }')).data.me.id));
    const refs = await gql(
      a.url,
      staff,
      '{ academicYears { periods { id } } disciplines { id } users(role: TEACHER) { id } }',
    );
    const endsAt = new Date(Date.now() + 4_000).toISOString();
    const created = await gql(a.url, staff, 'mutation($i:ExamInput!){ createExam(input:$i){ id } }', {
      i: {
        periodId: refs.data.academicYears[0].periods[0].id,
        disciplineId: refs.data.disciplines[0].id,
        teacherId: refs.data.users[0].id,
        studentIds: ids,
        format: 'TASK',
        taskText: 'Explain joins.',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt,
      },
    });
    const examId = created.data.createExam.id;
    const page = ws(b.url, tokens[0]);
    const pushes = listen(page, 'subscription($e:ID!){ mySittingChanged(examId:$e){ answerSendMode } }', {
      e: examId,
    });
    await Promise.all(
      tokens.map((t, i) =>
        gql(i % 2 ? a.url : b.url, t, 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ status } }', {
          e: examId,
          t: `the draft of ${logins[i]}`,
        }),
      ),
    );

    await pushes.until((p) => p.mySittingChanged.answerSendMode === 'AUTOMATIC');
    let room: any;
    for (let i = 0; i < 50; i++) {
      room = await gql(
        a.url,
        staff,
        'query($e:ID!){ exam(id:$e){ sittings { answerStatus answerSendMode submittedAt events { kind } } } }',
        { e: examId },
      );
      if (room.data.exam.sittings.every((s: any) => s.answerStatus === 'SUBMITTED')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const sitting of room.data.exam.sittings) {
      expect(sitting.answerSendMode).toBe('AUTOMATIC');
      expect(sitting.submittedAt).toBe(endsAt);
      expect(sitting.events.filter((e: any) => e.kind === 'ANSWER_SENT_AT_END').length).toBe(1);
    }
    expect(room.data.exam.sittings.length).toBe(10);
    await page.dispose();
  }, 60_000);
});
