import type { EntityManager } from '@mikro-orm/core';
import { NotFoundError } from '../../common/errors';
import { columnsOf, mapped, plainSql } from '../../common/plain-sql';
import { Answer } from '../answers/answer.entity';
import { requireRole, requireUser } from '../../common/auth';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { Sitting } from '../sittings/sitting.entity';
import { Role, type User } from '../users/user.entity';
import { Exam } from './exam.entity';

/** Staff run every exam; a teacher runs their own. */
export function manages(user: User | null, exam: Exam): boolean {
  if (!user) return false;
  return user.role === Role.STAFF || (user.role === Role.TEACHER && exam.teacher.id === user.id);
}

/** The one refusal for an exam the caller may not see: it does not say whether the exam exists. */
export const examNotFound = () =>
  new NotFoundError('There is no such exam, or it is not open to you. Check the link or ask the registrar.');

/** The exam if the caller may see it at all: staff, its teacher, or an enrolled student. */
export async function visibleExam(ctx: Context, examId: string): Promise<Exam> {
  const user = requireUser(ctx);
  // what every page of an exam shows with it, in the same statement
  const exam = await ctx.em.findOne(
    Exam,
    { id: examId },
    { populate: ['period.academicYear', 'discipline', 'teacher'] },
  );
  if (!exam) throw examNotFound();
  if (manages(user, exam)) return exam;
  // the student's own sitting, read once for the whole operation (mySitting and ticketBoard use it too)
  if (user.role === Role.STUDENT && (await loadersOf(ctx).ownSitting.load(exam.id))) return exam;
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
  if (!exam || !manages(user, exam)) throw examNotFound();
  return exam;
}

/** The calling student's own sitting with its exam, in one query; as `visibleExam`, no sitting means no such exam for them. */
export async function ownSittingWithExam(ctx: Context, examId: string): Promise<Sitting> {
  const user = requireUser(ctx);
  const sitting = await ctx.em.findOne(Sitting, { exam: examId, student: user.id }, { populate: ['exam'] });
  if (!sitting) throw examNotFound();
  return sitting;
}
