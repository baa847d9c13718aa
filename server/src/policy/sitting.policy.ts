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
