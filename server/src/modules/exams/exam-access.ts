/**
 * The request's side of the exam policy (policy/exam.policy.ts): finding the exam, the sitting or the ticket an
 * operation is about, and refusing as "not found" what the caller may not see.
 */
import type { EntityManager } from '@mikro-orm/core';
import { columnsOf, instant, instantOrNull, mapped, plainRows, plainSql } from '../../common/plain-sql';
import { plainRead } from '../../common/loaded';
import { Ticket } from '../tickets/ticket.entity';
import { Answer } from '../answers/answer.entity';
import { ANSWER_COLUMNS, answerFromRow } from '../answers/answer-row';
import { groupBy } from '../../common/batch-loader';
import { TurnBatch } from '../../common/turn-batch';
import { requireRole, requireUser } from '../../common/auth';
import { plainReader, type Context } from '../../context';
import { loadersOf } from '../../loaders';
import { Sitting } from '../sittings/sitting.entity';
import { Role, User } from '../users/user.entity';
import { Exam, type ExamFormat, type TicketAssignment } from './exam.entity';
import { canManage, canSeeExam, examNotFound } from '../../policy/exam.policy';
import { readStudentExam } from './exam-page.read';

/** The exam if the caller may see it at all: staff, its teacher, or an enrolled student. */
export async function visibleExam(ctx: Context, examId: string): Promise<Exam> {
  const user = requireUser(ctx);
  if (user.role === Role.STUDENT) {
    // the exam page's read: exam and own sitting in one plain statement (mySitting and ticketBoard use the sitting too);
    // no sitting, no row: the student is not enrolled
    const page = await readStudentExam(plainReader(ctx), examId, user);
    if (!page || !canSeeExam(user, page.exam, true)) throw examNotFound();
    loadersOf(ctx).ownSitting.prime(examId, page.sitting);
    return page.exam;
  }
  // what every page of an exam shows with it, in the same statement
  const exam = await ctx.em.findOne(
    Exam,
    { id: examId },
    { populate: ['period.academicYear', 'discipline', 'teacher'] },
  );
  if (!exam) throw examNotFound();
  if (canManage(user, exam)) return exam;
  throw examNotFound();
}

/**
 * The calling student's exam and sitting, for the student's own actions; `withAnswer` loads the answer in the same
 * statement. Every action of every student starts here: plain SQL (a bound, prepared statement), the row mapped to
 * loaded entities without query building.
 */
export async function studentSitting(
  ctx: Context,
  examId: string,
  withAnswer = false,
): Promise<{ exam: Exam; sitting: Sitting; student: User }> {
  const student = requireRole(ctx, Role.STUDENT);
  const [row] = await plainSql(ctx.em).rows<Record<string, unknown>>(sittingQuery(ctx.em, withAnswer), [
    examId,
    student.id,
  ]);
  if (!row) throw examNotFound();
  const exam = mapped(ctx.em, Exam, 'e', row)!; // first, so the sitting's exam is this loaded entity
  const sitting = mapped(ctx.em, Sitting, 's', row)!;
  if (withAnswer) sitting.answer = mapped(ctx.em, Answer, 'a', row) ?? undefined;
  return { exam, sitting, student };
}

/** what the answer's writes read: the exam's times and format, the sitting's, and its answer (null columns: none yet) */
const ANSWER_SITTING = `select e.id as exam_id, e.starts_at, e.ends_at, e.format,
  s.id as sitting_id, s.questions_viewed_at, s.ends_at_override, ${ANSWER_COLUMNS}
from sittings s join exams e on e.id = s.exam_id left join answers a on a.sitting_id = s.id
where s.exam_id = ? and s.student_id = ?`;

/**
 * The calling student's exam, sitting and answer for the answer's writes (upload, save, send: every student at once
 * near an exam's end), as `studentSitting(…, true)` finds them, but as plain reads (common/loaded.ts) holding what
 * those writes read: the exam's times and format, the sitting's extra time and questions, the whole answer. Nothing
 * enters the identity map (no merge, no hydration, nothing to flush); the answer's service writes it with plain SQL.
 */
export async function studentAnswerSitting(ctx: Context, examId: string): Promise<{ exam: Exam; sitting: Sitting }> {
  const student = requireRole(ctx, Role.STUDENT);
  const [row] = await plainSql(ctx.em).rows<Record<string, unknown>>(ANSWER_SITTING, [examId, student.id]);
  if (!row) throw examNotFound();
  const exam = plainRead(Exam, {
    id: String(row.exam_id),
    startsAt: instant(row.starts_at),
    endsAt: instant(row.ends_at),
    format: row.format as ExamFormat,
  });
  const sitting = plainRead(Sitting, {
    id: String(row.sitting_id),
    exam,
    student: plainRead(User, { id: student.id }),
    questionsViewedAt: instantOrNull(row.questions_viewed_at),
    endsAtOverride: instantOrNull(row.ends_at_override),
    answer: null,
  });
  if (row.answer_id != null) sitting.answer = answerFromRow(sitting, row);
  return { exam, sitting };
}

const sittingQueries = new Map<boolean, string>();
const sittingQuery = (em: EntityManager, withAnswer: boolean): string => {
  let sql = sittingQueries.get(withAnswer);
  if (!sql) {
    sql = withAnswer
      ? `select ${columnsOf(em, Sitting, 's')}, ${columnsOf(em, Exam, 'e')}, ${columnsOf(em, Answer, 'a')}
        from sittings s join exams e on e.id = s.exam_id left join answers a on a.sitting_id = s.id where s.exam_id = ? and s.student_id = ?`
      : `select ${columnsOf(em, Sitting, 's')}, ${columnsOf(em, Exam, 'e')} from sittings s join exams e on e.id = s.exam_id where s.exam_id = ? and s.student_id = ?`;
    sittingQueries.set(withAnswer, sql);
  }
  return sql;
};

/** An exam that the caller manages (staff, or the exam's teacher when teachers are allowed). */
export async function managedExam(ctx: Context, examId: string, ...roles: Role[]): Promise<Exam> {
  const user = requireRole(ctx, ...(roles.length ? roles : [Role.STAFF]));
  const exam = await ctx.em.findOne(Exam, { id: examId });
  if (!exam || !canManage(user, exam)) throw examNotFound();
  return exam;
}

/** ids in one `IN (…)` list */
const IDS_A_QUERY = 1_000;

type OwnSittingAsk = { em: EntityManager; examId: string; studentId: string };

/** per server (its services): subscriptions opening in the same turn read their sittings together */
const openingSittings = new WeakMap<object, TurnBatch<OwnSittingAsk, Sitting | null>>();

/**
 * The subscribing students' sittings with what opening a stream reads of them (presence, the board's state) and of
 * their exam, in one plain statement per exam and 1,000 students: bound parameters, a kept prepared statement, no
 * query building and no entity (thousands of pages open at an exam's start).
 */
async function readOwnSittings(asks: OwnSittingAsk[]): Promise<(Sitting | null)[]> {
  const found = new Map<string, Sitting>();
  for (const [examId, group] of groupBy(asks, (ask) => ask.examId)) {
    const studentIds = [...new Set(group.map((ask) => ask.studentId))];
    let exam: Exam | undefined;
    for (let i = 0; i < studentIds.length; i += IDS_A_QUERY) {
      const chunk = studentIds.slice(i, i + IDS_A_QUERY);
      const rows = await plainRows<OwnSittingRow>(asks[0].em, `${OWN_SITTINGS} (${chunk.map(() => '?').join(', ')})`, [
        examId,
        ...chunk,
      ]);
      for (const row of rows) {
        exam ??= plainRead(Exam, {
          id: examId,
          format: row.format,
          ticketAssignment: row.ticket_assignment,
          startsAt: instant(row.starts_at),
          endsAt: instant(row.ends_at),
        });
        const sitting = plainRead(Sitting, {
          id: row.id,
          exam,
          student: plainRead(User, { id: row.student_id }),
          ticket: row.ticket_id ? plainRead(Ticket, { id: row.ticket_id }) : null,
          enteredAt: instantOrNull(row.entered_at),
          endsAtOverride: instantOrNull(row.ends_at_override),
        });
        found.set(`${examId}:${row.student_id}`, sitting);
      }
    }
  }
  return asks.map((ask) => found.get(`${ask.examId}:${ask.studentId}`) ?? null);
}
const OWN_SITTINGS = `select s.id, s.student_id, s.ticket_id, s.entered_at, s.ends_at_override,
  e.format, e.ticket_assignment, e.starts_at, e.ends_at
from sittings s join exams e on e.id = s.exam_id where s.exam_id = ? and s.student_id in`;
interface OwnSittingRow {
  id: string;
  student_id: string;
  ticket_id: string | null;
  entered_at: unknown;
  ends_at_override: unknown;
  format: ExamFormat;
  ticket_assignment: TicketAssignment | null;
  starts_at: unknown;
  ends_at: unknown;
}

/**
 * The calling student's own sitting with its exam, in one query with those of the other subscriptions opening meanwhile
 * (thousands of pages open at an exam's start); as `visibleExam`, no sitting means no such exam for them.
 */
export async function ownSittingWithExam(ctx: Context, examId: string): Promise<Sitting> {
  const user = requireUser(ctx);
  let batch = openingSittings.get(ctx.services);
  if (!batch) openingSittings.set(ctx.services, (batch = new TurnBatch(readOwnSittings)));
  const sitting = await batch.add({ em: ctx.em, examId, studentId: user.id });
  if (!sitting) throw examNotFound();
  return sitting;
}
