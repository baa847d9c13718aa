import { studentSitting } from '../exams/exam-access';
import { Exam } from '../exams/exam.entity';
import { User } from '../users/user.entity';
import {
  createExam,
  minutes,
  seedUniversity,
  startTestServer,
  updateExam,
  type TestServer,
  type University,
} from '../../testing/harness';

/**
 * A student's write must touch only what it changes: a save that read the exam before staff moved its end
 * must not write the old end back (on SQLite every datetime once compared as changed, so each flush
 * rewrote the exam's times from its own, stale, read).
 */
describe('writes change only what they change', () => {
  let server: TestServer;
  let u: University;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 1);
    staff = await server.login('staff');
  });
  afterAll(() => server.stop());

  it("keeps a new end time that staff set while a student's save was under way", async () => {
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Describe the normal forms.',
    });
    const { services } = server.app;
    // the save's request has read the exam and the sitting …
    const em = server.app.orm.em.fork();
    const student = await em.findOneOrFail(User, u.students[0].id);
    const { exam, sitting } = await studentSitting({ em, services, user: student }, examId);
    // … staff move the end meanwhile …
    const movedEnd = minutes(90);
    await updateExam(server, staff, u, examId, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Describe the normal forms.',
      endsAt: movedEnd,
    });
    // … and the save commits afterwards
    await services.answers.write(em, exam, sitting, 'First normal form: atomic values.', false, new Date());

    const stored = await server.app.orm.em.fork().findOneOrFail(Exam, examId);
    expect(stored.endsAt.toISOString()).toBe(movedEnd);
    const page = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ endsAt } }', { e: examId });
    expect(page.exam.endsAt).toBe(movedEnd);
  });

  it('issues no UPDATE for entities that were only read', async () => {
    const examId = await createExam(server, staff, u);
    const em = server.app.orm.em.fork();
    await em.findOneOrFail(Exam, examId, { populate: ['teacher', 'period', 'discipline'] });
    await em.findOneOrFail(User, u.students[0].id);
    const uow = em.getUnitOfWork();
    uow.computeChangeSets();
    expect(uow.getChangeSets().map((c) => `${c.name} ${JSON.stringify(c.payload)}`)).toEqual([]);
  });
});
