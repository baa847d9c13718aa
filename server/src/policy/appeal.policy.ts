import { Role } from '../modules/users/user.entity';
import { canManage, type ExamFacts, type Viewer } from './exam.policy';

/** What the appeal rules read: whose sitting, at which exam, and who sits on the commission. */
export interface AppealFacts {
  studentId: string;
  exam: Pick<ExamFacts, 'teacher'>;
  commissionIds: readonly string[];
}

/** A teacher staff appointed to the appeal's commission. */
export function isOnCommission(user: Viewer | null | undefined, appeal: Pick<AppealFacts, 'commissionIds'>): boolean {
  return !!user && user.role === Role.TEACHER && appeal.commissionIds.includes(user.id);
}

/** The appeal itself (its text, state and decision): the student who filed it, staff, the exam's teacher, the commission. */
export function canSeeAppeal(user: Viewer | null | undefined, appeal: AppealFacts): boolean {
  if (!user) return false;
  return user.id === appeal.studentId || canManage(user, appeal.exam) || isOnCommission(user, appeal);
}

/**
 * The case the commission decides on — the sent answer and its files, the ticket's questions, the audit trail, the
 * recording — side by side: staff and the commission (the exam's teacher sees these through the exam already).
 */
export function canReviewAppeal(user: Viewer | null | undefined, appeal: AppealFacts): boolean {
  return user?.role === Role.STAFF || isOnCommission(user, appeal) || canManage(user, appeal.exam);
}

/** The decision: a member of the commission, or staff. */
export function canDecideAppeal(user: Viewer | null | undefined, appeal: AppealFacts): boolean {
  return user?.role === Role.STAFF || isOnCommission(user, appeal);
}
