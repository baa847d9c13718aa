import { resultsPublished } from '../grades/grade-publication';

/**
 * Blind marking (issue 12): while an exam is blind its teacher grades answers under codes, not names. The rules here
 * are the only place that says when; who is hidden from whom is policy/blind.policy.ts. Whether the results are
 * published is grades/grade-publication.ts's rule: asked here, never restated.
 */

/** What the rules read of an exam. */
export interface BlindFacts {
  readonly blindMarking?: boolean | null;
  readonly resultsPublishedAt?: Date | null;
}

/** The exam hides its students from its teacher now: blind marking is on and the results are not published yet. */
export function isBlindNow(exam: BlindFacts): boolean {
  return !!exam.blindMarking && !resultsPublished(exam);
}

/** Blind marking is turned on or off only before the results are published (after it, it would hide nothing). */
export function blindMarkingMayChange(exam: BlindFacts): boolean {
  return !resultsPublished(exam);
}
