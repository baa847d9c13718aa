import { statementsOf } from '../../testing/statements';
import { createExam, seedUniversity, startTestServer, uploadFiles } from '../../testing/harness';
import { studentSitting } from '../exams/exam-access';
import { User } from '../users/user.entity';
import { Answer } from './answer.entity';

const SAVE = 'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ status savedAt } }';
/** the webhook sender's background poll would be counted with the write it happened to fall in: not during these specs */
const QUIET = 3_600_000;
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status submittedAt } }';

/**
 * A save, a send and an upload are the exam's busiest writes: each must cost a fixed number of statements, however
 * many students sit the exam and however many files the answer holds already.
 */
describe("statements of an answer's writes", () => {
  /** save, upload and send for one student of an exam of `students`, whose answer holds `filesHeld` files already */
  async function countsFor(students: number, filesHeld: number) {
    const server = await startTestServer({ savesPerMinute: 100_000, webhookPollMs: QUIET });
    try {
      const u = await seedUniversity(server, students);
      const staff = await server.login('staff');
      const examId = await createExam(server, staff, u, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Describe the normal forms.',
      });
      const token = await server.login(u.students[0].login);
      await server.ok(token, SAVE, { e: examId, t: 'a first draft of my answer' });
      for (let i = 0; i < filesHeld; i++) {
        expect(
          (
            await uploadFiles(server, token, `/files/answers/${examId}`, [
              { name: `held-${i}.txt`, content: `file ${i}` },
            ])
          ).status,
        ).toBe(201);
      }
      const { orm } = server.app;
      const save = await statementsOf(orm, () =>
        server.ok(token, SAVE, { e: examId, t: 'the second draft of my answer' }),
      );
      const upload = await statementsOf(orm, async () => {
        expect(
          (
            await uploadFiles(server, token, `/files/answers/${examId}`, [
              { name: 'answer.txt', content: 'my answer in a file' },
            ])
          ).status,
        ).toBe(201);
      });
      const send = await statementsOf(orm, () => server.ok(token, SUBMIT, { e: examId, t: 'the answer I send' }));
      return { save, upload, send };
    } finally {
      await server.stop();
    }
  }

  /** the kind of each statement and its table (`update answers`), as SQLite and PostgreSQL quote it (plain reads do not) */
  const shape = (statements: string[]) =>
    statements.map((sql) =>
      sql
        .replace(/^(\w+)\b.*?\b(?:from|into|update) [`"]?(\w+)[`"]?.*$/s, '$1 $2')
        .replace(/^update [`"]?(\w+)[`"]?.*$/s, 'update $1')
        .replace(/^begin\b.*$/is, 'begin'),
    );

  it('are the same for a small and a large exam, an empty and a full answer', async () => {
    const small = await countsFor(2, 0);
    const large = await countsFor(40, 8);
    for (const write of ['save', 'upload', 'send'] as const) {
      expect(shape(large[write])).withContext(write).toEqual(shape(small[write]));
    }
    // (the session is known: auth/session-cache.ts) the sitting with its exam and answer, what the answer holds, then one
    // short transaction
    expect(shape(small.save)).toEqual([
      'select sittings',
      'select stored_files',
      'begin',
      'update answers',
      'insert sitting_events',
      'commit',
    ]);
    expect(shape(small.send)).toEqual([
      'select sittings',
      'select stored_files',
      'begin',
      'update answers',
      'insert sitting_events',
      'commit',
    ]);
    // the answer's row is locked (a touch of updatedAt while it is a draft) before what it holds is counted again
    expect(shape(small.upload)).toEqual([
      'select sittings',
      'select stored_files',
      'begin',
      'update answers',
      'select stored_files',
      'insert stored_files',
      'insert sitting_events',
      'commit',
    ]);
  });

  it('create the answer with the first write in one statement: an insert returning it (yielding to a parallel one)', async () => {
    const server = await startTestServer({ webhookPollMs: QUIET });
    try {
      const u = await seedUniversity(server, 2);
      const staff = await server.login('staff');
      const examId = await createExam(server, staff, u, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Describe the normal forms.',
      });
      const { orm } = server.app;
      const uploader = await server.login(u.students[0].login);
      const upload = await statementsOf(orm, async () => {
        const sent = await uploadFiles(server, uploader, `/files/answers/${examId}`, [
          { name: 'answer.txt', content: 'my answer in a file' },
        ]);
        expect(sent.status).toBe(201);
      });
      expect(shape(upload)).toEqual([
        'select auth_sessions',
        'select sittings',
        'insert answers',
        'select stored_files',
        'begin',
        'update answers',
        'select stored_files',
        'insert stored_files',
        'insert sitting_events',
        'commit',
      ]);
      const saver = await server.login(u.students[1].login);
      const save = await statementsOf(orm, () =>
        server.ok(saver, SAVE, { e: examId, t: 'a first draft of my answer' }),
      );
      expect(shape(save)).toEqual([
        'select auth_sessions',
        'select sittings',
        'insert answers',
        'select stored_files',
        'begin',
        'update answers',
        'insert sitting_events',
        'commit',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('leave the loaded answer as it was written: nothing left to flush', async () => {
    const server = await startTestServer({ webhookPollMs: QUIET });
    try {
      const u = await seedUniversity(server, 1);
      const staff = await server.login('staff');
      const examId = await createExam(server, staff, u, {
        format: 'TASK',
        ticketAssignment: null,
        taskText: 'Describe the normal forms.',
      });
      const { services } = server.app;
      const em = server.app.orm.em.fork();
      const student = await em.findOneOrFail(User, u.students[0].id);
      const { exam, sitting } = await studentSitting({ em, services, user: student }, examId, true);
      const saved = await services.answers.write(
        em,
        exam,
        sitting,
        'First normal form: atomic values.',
        false,
        new Date(),
      );
      const stored = await server.app.orm.em.fork().findOneOrFail(Answer, saved.id);
      expect(saved.text).toBe(stored.text);
      expect(saved.savedAt?.toISOString()).toBe(stored.savedAt?.toISOString());
      const uow = em.getUnitOfWork();
      uow.computeChangeSets();
      expect(uow.getChangeSets().map((c) => `${c.name} ${JSON.stringify(c.payload)}`)).toEqual([]);
      expect(await statementsOf(server.app.orm, () => em.flush())).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
