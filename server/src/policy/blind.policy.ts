import { isBlindNow, type BlindFacts } from '../modules/blind/blind-rules';
import { Role } from '../modules/users/user.entity';
import type { Viewer } from './exam.policy';

/**
 * Blind marking: while the exam is blind a teacher (its own, or any other who may read its sittings) meets each
 * sitting under its code, never the student; staff see who is who, and the student their own sitting.
 */
export function hidesStudents(viewer: Viewer | null | undefined, exam: BlindFacts): boolean {
  return viewer?.role === Role.TEACHER && isBlindNow(exam);
}

/** The code beside each sitting: to staff and teachers whenever the exam is marked blind (staff match codes to names). */
export function seesBlindCode(viewer: Viewer | null | undefined, exam: BlindFacts): boolean {
  return !!exam.blindMarking && (viewer?.role === Role.TEACHER || viewer?.role === Role.STAFF);
}
