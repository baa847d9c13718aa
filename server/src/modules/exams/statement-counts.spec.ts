import { clientOperation } from '../../testing/client-operations';
import { statementsOf } from '../../testing/statements';
import {
  addTickets,
  createExam,
  seedUniversity,
  startTestServer,
  type TestServer,
  type University,
} from '../../testing/harness';

/**
 * The statements each hot read of the web app sends to the database: pinned exactly, so an N+1 or a
 * redundant read fails here, and the same for an exam of 3 students and tickets as for one of 30.
 */
interface Room {
  examId: string;
  /** has not chosen yet: sees the ticket board */
  choosing: string;
  /** chose, read the questions and saved a draft */
  answering: string;
}

describe('statements per hot read', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  const tokens = new Map<string, string>();
  let small: Room;
  let large: Room;

  /** an exam of `students`, each but the first holding a ticket; half of those sent their answer, every other one of these graded */
  async function room(students: University['students'], periodId: string): Promise<Room> {
    const examId = await createExam(server, staff, u, { periodId, studentIds: students.map((s) => s.id) });
    const tickets = await addTickets(server, staff, examId, students.length);
    const token = async (login: string) =>
      tokens.get(login) ?? tokens.set(login, await server.login(login)).get(login)!;
    for (const [i, student] of students.entries()) {
      const t = await token(student.login);
      await server.ok(t, 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId });
      if (i === 0) continue;
      await server.ok(t, 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', {
        e: examId,
        t: tickets[i],
      });
    }
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    for (const [i, student] of students.entries()) {
      if (i === 0) continue;
      const t = await token(student.login);
      await server.ok(t, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId });
      const send = i % 2 === 0 ? 'submitAnswer' : 'saveAnswer';
      const data = await server.ok(t, `mutation($e:ID!,$x:String!){ ${send}(examId:$e, text:$x){ id } }`, {
        e: examId,
        x: `The answer of ${student.login}`,
      });
      expect(data[send].id).toBeTruthy();
    }
    const sittings = await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id answerStatus } } }', {
      e: examId,
    });
    for (const [i, sitting] of sittings.exam.sittings
      .filter((s: { answerStatus: string }) => s.answerStatus === 'SUBMITTED')
      .entries()) {
      if (i % 2 === 0)
        await server.ok(teacher, 'mutation($s:ID!){ gradeSitting(sittingId:$s, score:90){ id } }', { s: sitting.id });
    }
    return { examId, choosing: students[0].login, answering: students[1].login };
  }

  /** the statements one operation of the web app sends, and its data (checked to be what the page needs) */
  async function statements(
    token: string,
    operation: string,
    variables: Record<string, unknown>,
  ): Promise<{ count: number; data: any }> {
    let data: any;
    const sent = await statementsOf(server.app.orm, async () => {
      data = await server.ok(token, clientOperation(operation), variables);
    });
    return { count: sent.length, data };
  }

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 30);
    staff = await server.login('staff');
    teacher = await server.login('teacher');
    // the small exam alone in the other period; the large one with two more exams in the first
    small = await room(u.students.slice(0, 3), u.otherPeriodId);
    large = await room(u.students.slice(3), u.periodId);
    for (let i = 0; i < 2; i++)
      await createExam(server, staff, u, { studentIds: u.students.slice(3).map((s) => s.id) });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('StudentExam before choosing: the same few statements, whatever the number of tickets and students', async () => {
    for (const [room, tickets] of [
      [small, 3],
      [large, 27],
    ] as const) {
      const { count, data } = await statements(tokens.get(room.choosing)!, 'StudentExam', { id: room.examId });
      expect(data.exam.ticketBoard.length).toBe(tickets);
      expect(data.exam.mySitting.ticketNumber).toBeNull();
      expect(count).withContext(`StudentExam choosing, ${tickets} tickets`).toBe(EXPECTED.studentExamChoosing);
    }
  });

  it('StudentExam after choosing, with the questions seen and a draft saved', async () => {
    for (const room of [small, large]) {
      const { count, data } = await statements(tokens.get(room.answering)!, 'StudentExam', { id: room.examId });
      expect(data.exam.ticketBoard).toBeNull();
      expect(data.exam.mySitting.ticketNumber).toBe(2);
      expect(data.exam.mySitting.answer.text).toBe(`The answer of ${room.answering}`);
      expect(count)
        .withContext(`StudentExam answering, ${room === small ? 'small' : 'large'}`)
        .toBe(EXPECTED.studentExamAnswering);
    }
  });

  it("the staff's live room: presence, tickets and holders, grades", async () => {
    const presence = server.app.services.presence;
    const perPage = spyOn(presence, 'onlineSinceMany').and.callThrough();
    const perStudent = spyOn(presence, 'onlineSince').and.callThrough();
    for (const [room, size] of [
      [small, 3],
      [large, 27],
    ] as const) {
      perPage.calls.reset();
      const { count, data } = await statements(staff, 'ExamRoom', { id: room.examId });
      // presence: one call for the page (one Redis round trip with several instances), none per student
      expect(perPage).toHaveBeenCalledOnceWith(room.examId, jasmine.any(Array));
      expect(perPage.calls.argsFor(0)[1].length).toBe(size);
      expect(perStudent).not.toHaveBeenCalled();
      expect(data.exam.sittings.length).toBe(size);
      expect(data.exam.tickets.filter((t: { takenBy: unknown }) => t.takenBy).length).toBe(size - 1);
      expect(data.exam.sittings.filter((s: { grade: unknown }) => s.grade).length).toBeGreaterThan(0);
      expect(count).withContext(`ExamRoom, ${size} students`).toBe(EXPECTED.examRoom);
    }
  });

  it("the audit trails of an exam's sittings", async () => {
    for (const [room, size] of [
      [small, 3],
      [large, 27],
    ] as const) {
      const { count, data } = await statements(staff, 'SittingTrails', { examId: room.examId });
      expect(data.exam.sittings.every((s: { events: unknown[] }) => s.events.length > 0)).toBeTrue();
      expect(count).withContext(`SittingTrails, ${size} students`).toBe(EXPECTED.sittingTrails);
    }
  });

  it("the teacher's grading page", async () => {
    for (const [room, size] of [
      [small, 3],
      [large, 27],
    ] as const) {
      const { count, data } = await statements(teacher, 'GradingExam', { id: room.examId });
      expect(data.exam.tickets.length).toBe(size);
      expect(data.exam.sittings.filter((s: { answer: unknown }) => s.answer).length).toBeGreaterThan(0);
      expect(count).withContext(`GradingExam, ${size} students`).toBe(EXPECTED.gradingExam);
    }
  });

  it("the student's exam list, with one exam or three", async () => {
    for (const [login, exams] of [
      [small.answering, 1],
      [large.answering, 3],
    ] as const) {
      const periodId = exams === 1 ? u.otherPeriodId : u.periodId;
      const { count, data } = await statements(tokens.get(login)!, 'MyExams', { academicYearId: u.yearId, periodId });
      expect(data.myExams.length).toBe(exams);
      expect(count).withContext(`MyExams, ${exams} exams`).toBe(EXPECTED.myExams);
    }
  });

  it('the exam lists of staff and of the teacher, with one exam or three', async () => {
    for (const [periodId, exams] of [
      [u.otherPeriodId, 1],
      [u.periodId, 3],
    ] as const) {
      const staffList = await statements(staff, 'StaffExams', { periodId });
      expect(staffList.data.exams.length).toBe(exams);
      expect(staffList.count).withContext(`StaffExams, ${exams} exams`).toBe(EXPECTED.staffExams);
      const teacherList = await statements(teacher, 'TeacherExams', { periodId });
      expect(teacherList.data.exams.length).toBe(exams);
      expect(teacherList.count).withContext(`TeacherExams, ${exams} exams`).toBe(EXPECTED.teacherExams);
    }
  });
});

/** statements per operation, the session's lookup (one) included */
/** each page's own statements: its session is known (auth/session-cache.ts), so none reads it */
const EXPECTED = {
  // the exam with period, year, discipline, teacher and the own sitting with ticket, grader and answer; the board (tickets with their holders)
  studentExamChoosing: 2,
  // the exam with the own sitting, as above; the answer's files
  studentExamAnswering: 2,
  // exam; tickets; their holders; sittings with students, tickets, answers and graders (presence from memory or one Redis round trip)
  examRoom: 4,
  // exam; sittings; every sitting's events with their actors
  sittingTrails: 3,
  // exam; tickets; their files; sittings; the sent answers' files
  gradingExam: 5,
  // the exams with period, year, discipline, teacher and their retakes (E6, joined); the student's sittings of them all
  myExams: 2,
  // the exams' ids by the list rules shared with examsConnection (issue 13), the exams with their retakes (joined); the
  // sittings of them all
  staffExams: 3,
  teacherExams: 3,
};
