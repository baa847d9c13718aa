import { NotFoundError } from '../common/errors';
import { hasStarted } from '../modules/exams/exam-rules';
import { Role } from '../modules/users/user.entity';

/**
 * Who may see and do what at an exam, as pure functions of plain values (an entity fits: `User`, `Exam`), never of
 * a request: resolvers, pushes and the /files route ask the same question here.
 */

/** Who is asking; null when no one is signed in. */
export interface Viewer {
  id: string;
  role: Role;
}

/** What the rules read of an exam. */
export interface ExamFacts {
  teacher: { id: string };
  startsAt: Date;
  endsAt: Date;
  recordingVisible?: boolean;
}

/** Staff run every exam; a teacher runs their own. */
export function canManage(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  if (!user) return false;
  return user.role === Role.STAFF || (user.role === Role.TEACHER && exam.teacher.id === user.id);
}

/** Those who run the exam, and the students enrolled at it (`enrolled`: the viewer has a sitting there). */
export function canSeeExam(
  user: Viewer | null | undefined,
  exam: Pick<ExamFacts, 'teacher'>,
  enrolled: boolean,
): boolean {
  return canManage(user, exam) || (user?.role === Role.STUDENT && enrolled);
}

/** R2.4, R6.1: those who run the exam always; the students who see it once it has started. */
export function canSeeTask(
  user: Viewer | null | undefined,
  exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>,
  now: Date,
): boolean {
  return canManage(user, exam) || hasStarted(exam, now);
}

/** R8.1: those who run the exam always; students once staff made the recording visible to them. */
export function canSeeRecording(
  user: Viewer | null | undefined,
  exam: Pick<ExamFacts, 'teacher' | 'recordingVisible'>,
): boolean {
  return !!exam.recordingVisible || canManage(user, exam);
}

/** The one refusal for an exam the caller may not see: it does not say whether the exam exists. */
export const examNotFound = () =>
  new NotFoundError('There is no such exam, or it is not open to you. Check the link or ask the registrar.');

/**
 * issue 13: the lists of exams (exams, examsConnection, the journal): staff see every exam, a teacher the exams they
 * teach. The id a list is narrowed to, or null for all; no one else lists exams (the resolvers admit staff and teachers).
 */
export function listedExamsTeacher(user: Viewer): string | null {
  return user.role === Role.STAFF ? null : user.id;
}
