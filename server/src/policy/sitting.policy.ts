import { Role } from '../modules/users/user.entity';
import { canManage, type ExamFacts, type Viewer } from './exam.policy';

/** Every student's sitting (the live room, the grading queue): staff and the exam's teacher. */
export function canSeeEverySitting(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  return canManage(user, exam);
}

/** The audit trail of a sitting, for appeals: staff and the exam's teacher. */
export function canSeeTrail(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  return canManage(user, exam);
}

/** R7.7: the exam's teacher and staff grade its sittings. */
export function canGrade(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  return canManage(user, exam);
}

/** issue 12: a grade not yet published is seen only by those who grade; a published one by whoever sees the sitting. */
export function canSeeGrade(
  user: Viewer | null | undefined,
  exam: Pick<ExamFacts, 'teacher'>,
  published: boolean,
): boolean {
  return published || canGrade(user, exam);
}

/** issue 12: the exam's teacher and staff publish its results. */
export function canPublishResults(user: Viewer | null | undefined, exam: Pick<ExamFacts, 'teacher'>): boolean {
  return canManage(user, exam);
}

/** issue 12: only staff correct a published grade (the exam's teacher asks them, or the student appeals). */
export function canCorrectGrade(user: Viewer | null | undefined): boolean {
  return user?.role === Role.STAFF;
}
