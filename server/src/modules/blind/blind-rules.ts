/**
 * Blind marking (issue 12): while an exam is blind its teacher grades answers under codes, not names. The rules here
 * are the only place that says when; who is hidden from whom is policy/blind.policy.ts.
 */

/** What the rules read of an exam. */
export interface BlindFacts {
  readonly blindMarking?: boolean | null;
  /** set when the exam's results are published (grades/grade-publication.ts) */
  readonly resultsPublishedAt?: Date | null;
}

/** Whether the exam's results are out: names come back to the teacher then. */
const resultsOut = (exam: BlindFacts): boolean => exam.resultsPublishedAt != null;

/** The exam hides its students from its teacher now: blind marking is on and the results are not published yet. */
export function isBlindNow(exam: BlindFacts): boolean {
  return !!exam.blindMarking && !resultsOut(exam);
}

/** Blind marking is turned on or off only before the results are published (after it, it would hide nothing). */
export function blindMarkingMayChange(exam: BlindFacts): boolean {
  return !resultsOut(exam);
}
