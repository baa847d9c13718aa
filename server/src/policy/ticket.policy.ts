import { hasStarted } from '../modules/exams/exam-rules';
import { canManage, type ExamFacts, type Viewer } from './exam.policy';

/** Every ticket of an exam, numbers and questions: staff and the exam's teacher. */
export function canSeeEveryTicket(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  return canManage(user, exam);
}

/** R2.3: a sitting's ticket number, to those who run the exam; to the student once the exam has started. */
export function canSeeTicketNumber(
  user: Viewer | null | undefined,
  exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>,
  now: Date,
): boolean {
  return canManage(user, exam) || hasStarted(exam, now);
}

/** What the rules read of a student's sitting at an exam. */
export interface HeldTicket {
  ticketId: string | null;
  questionsReleasedAt: Date | null;
}

/** R5.3: a ticket's questions (and its files) reach the student holding it once the exam started and staff released them. */
export function canSeeTicketQuestions(
  exam: Pick<ExamFacts, 'startsAt' | 'endsAt'>,
  held: HeldTicket,
  ticketId: string,
  now: Date,
): boolean {
  return hasStarted(exam, now) && held.ticketId === ticketId && !!held.questionsReleasedAt;
}
