import { randomBytes } from 'node:crypto';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { AuthSession } from '../auth/auth-session.entity';
import { tokenHash } from '../auth/auth.service';
import { Sitting } from '../sittings/sitting.entity';
import { plainSql } from '../../common/plain-sql';
import { statementsOf } from '../../testing/statements';
import { createExam, seedUniversity, startTestServer, type TestServer, type University } from '../../testing/harness';
import { Ticket } from './ticket.entity';

/**
 * The ticket race's statements (issue 10, S4): chooseTicket and the RANDOM draw send the same few statements
 * whatever the number of tickets and students — one short write transaction, no re-read after the conditional
 * UPDATE, no spurious UPDATE.
 */
describe('ticket statements', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  const tokens = new Map<string, string>(); // student id → token

  const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ id } }';
  const ENTER = 'mutation($e:ID!){ enterExam(examId:$e){ id } }';
  /** the statement kinds (first word), which is what the counts are about; parameters differ run to run */
  const kinds = (statements: string[]) => statements.map((sql) => sql.trim().split(/\s+/)[0].toLowerCase());
  // every session is known (read once in beforeAll, then kept: auth/session-cache.ts), so no request reads it
  const SESSION_AND_SITTING = ['select']; // the student's sitting with its exam
  // chooseTicket reads the sitting, the exam's rules and the ticket with its holder in one statement
  const SESSION_AND_CHOICE = ['select'];

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 40);
    staff = await server.login('staff');
    // sessions straight to the database: 40 logins would spend their time in scrypt
    const em = server.app.orm.em.fork();
    for (const student of u.students) {
      const token = randomBytes(24).toString('base64url');
      em.create(AuthSession, {
        tokenHash: tokenHash(token),
        user: student.id,
        expiresAt: new Date(Date.now() + 3600_000),
      });
      tokens.set(student.id, token);
    }
    await em.flush();
    for (const token of tokens.values()) await server.ok(token, '{ me { id } }');
  }, 60_000);
  afterAll(() => server.stop());

  /** an exam of `students` students and `tickets` tickets, all but the first three students already holding one */
  async function exam(students: number, tickets: number, input: Record<string, unknown> = {}) {
    const enrolled = u.students.slice(0, students);
    const examId = await createExam(server, staff, { ...u, students: enrolled }, input);
    const em = server.app.orm.em.fork();
    const ids = Array.from({ length: tickets }, (_, i) =>
      em.create(Ticket, { exam: examId, number: i + 1, questions: `Questions ${i + 1}` }),
    );
    await em.flush();
    const sittings = await em.find(Sitting, { exam: examId }, { orderBy: { student: { login: 'asc' } } });
    sittings.slice(3).forEach((sitting, i) => (sitting.ticket = ids[tickets - 1 - i]));
    await em.flush();
    return {
      examId,
      ticketIds: ids.map((t) => t.id),
      token: (i: number) => tokens.get(enrolled[i].id)!,
      studentId: (i: number) => enrolled[i].id,
    };
  }

  async function choiceStatements(students: number, tickets: number) {
    const { examId, ticketIds, token, studentId } = await exam(students, tickets);
    const run = async (i: number, ticket: string) => {
      let code: string | undefined;
      const statements = await statementsOf(server.app.orm, async () => {
        const result = await server.gql(token(i), CHOOSE, { e: examId, t: ticket });
        code = result.errors?.[0]?.extensions?.code ?? (result.data?.chooseTicket ? 'OK' : 'NO DATA');
      });
      return { code, kinds: kinds(statements) };
    };
    return {
      success: await run(0, ticketIds[0]),
      taken: await run(1, ticketIds[0]),
      already: await run(0, ticketIds[1]),
      // a free-looking ticket that another student takes between the read and the UPDATE: the unique index decides
      lostRace: await raceLost(examId, ticketIds[2], token(2), studentId(1)),
    };
  }

  /** the student of `token` asks for `ticketId` while, between its read and its UPDATE, another student takes it */
  async function raceLost(examId: string, ticketId: string, token: string, otherStudentId: string) {
    const sql = plainSql(server.app.orm.em);
    const rows = sql.rows;
    // right after the read of the ticket and its holder, the other sitting takes the ticket (through knex, so
    // the statement is not one of the request's): what a parallel request would do at that moment
    sql.rows = async <T extends object>(text: string, params?: readonly unknown[]) => {
      const result = await rows<T>(text, params);
      if (text.includes('as held')) {
        await (server.app.orm.em.getConnection() as AbstractSqlConnection)
          .getKnex()
          .raw('update sittings set ticket_id = ? where exam_id = ? and student_id = ?', [
            ticketId,
            examId,
            otherStudentId,
          ]);
      }
      return result;
    };
    let code: string | undefined;
    let statements: string[];
    try {
      statements = await statementsOf(server.app.orm, async () => {
        code = (await server.gql(token, CHOOSE, { e: examId, t: ticketId })).errors?.[0]?.extensions?.code;
      });
    } finally {
      sql.rows = rows;
    }
    return { code, kinds: kinds(statements) };
  }

  it('chooseTicket: one read (sitting, rules, ticket and holder), then one short transaction and the sitting; nothing more for a held ticket or a student who holds one; the same for 2 and 40 students', async () => {
    const small = await choiceStatements(3, 5);
    const large = await choiceStatements(40, 60);
    // a success then loads the sitting it returns, with what the page shows of it, in one statement
    expect(small.success).toEqual({
      code: 'OK',
      kinds: [...SESSION_AND_CHOICE, 'begin', 'update', 'insert', 'commit', 'select'],
    });
    expect(small.taken).toEqual({ code: 'TICKET_TAKEN', kinds: SESSION_AND_CHOICE });
    expect(small.lostRace).toEqual({
      code: 'TICKET_TAKEN',
      kinds: [...SESSION_AND_CHOICE, 'begin', 'update', 'rollback'],
    });
    expect(small.already).toEqual({ code: 'TICKET_ALREADY_CHOSEN', kinds: SESSION_AND_CHOICE });
    expect(large).toEqual(small);
  });

  it('chooseTicket over HTTP: a refused attempt forks no EntityManager, a success one (after its write)', async () => {
    const { examId, ticketIds, token } = await exam(3, 5);
    const fork = spyOn(server.app.orm.em, 'fork').and.callThrough();
    const attempt = async (i: number, ticket: string) => {
      fork.calls.reset();
      const result = await server.gql(token(i), CHOOSE, { e: examId, t: ticket });
      return {
        code: result.errors?.[0]?.extensions?.code ?? (result.data?.chooseTicket ? 'OK' : 'NO DATA'),
        forks: fork.calls.count(),
      };
    };
    expect(await attempt(0, ticketIds[0])).toEqual({ code: 'OK', forks: 1 });
    expect(await attempt(1, ticketIds[0])).toEqual({ code: 'TICKET_TAKEN', forks: 0 });
    expect(await attempt(0, ticketIds[1])).toEqual({ code: 'TICKET_ALREADY_CHOSEN', forks: 0 });
    expect(await attempt(1, 'not-a-ticket')).toEqual({ code: 'NOT_FOUND', forks: 0 });
  });

  it('the RANDOM draw on entering: one statement picks a free ticket, one transaction takes it; the same for 2 and 40 students', async () => {
    const enter = async (students: number, tickets: number) => {
      const { examId, token } = await exam(students, tickets, { ticketAssignment: 'RANDOM' });
      let result: unknown;
      const statements = await statementsOf(
        server.app.orm,
        async () => (result = await server.gql(token(0), ENTER, { e: examId })),
      );
      expect(result).toEqual({ data: { enterExam: { id: jasmine.any(String) } } });
      const held = await server.app.orm.em.fork().count(Sitting, { exam: examId, ticket: { $ne: null } });
      expect(held).toBe(students - 2); // the drawn one besides the students who held one already
      return kinds(statements);
    };
    const small = await enter(3, 5);
    const large = await enter(40, 60);
    expect(small).toEqual([
      ...SESSION_AND_SITTING,
      'begin',
      'update', // entering: lastSeenAt (the row lock that serializes a parallel entry)
      'update', // enteredAt, the first time
      'select', // an entry already open (its socket may have said it first) is not recorded again
      'insert', // the ENTERED row
      'commit',
      'select',
      'begin',
      'update',
      'insert',
      'commit',
    ]); // the draw: one random free ticket, then take it
    expect(large).toEqual(small);
  });

  it('leaves nothing for a later flush: the managed sitting already holds what the conditional UPDATE wrote', async () => {
    const { examId, ticketIds } = await exam(3, 5);
    const em = server.app.orm.em.fork();
    const sitting = await em.findOneOrFail(
      Sitting,
      { exam: examId, student: u.students[0].id },
      { populate: ['exam', 'student'] },
    );
    const chosen = await server.app.services.tickets.chooseTicket(
      { em },
      sitting.student,
      examId,
      ticketIds[2],
      new Date(),
    );
    expect(chosen).toBe(sitting);
    expect(sitting.ticket?.id).toBe(ticketIds[2]);
    expect(sitting.ticketChosenAt).toEqual(jasmine.any(Date));
    expect(await statementsOf(server.app.orm, () => em.flush())).toEqual([]);
    const stored = await server.app.orm.em.fork().findOneOrFail(Sitting, { id: sitting.id });
    expect(stored.ticket?.id).toBe(ticketIds[2]);
  });
});
