/**
 * Blind marking (issue 12): while an exam is blind its teacher grades answers under codes, not names. Shared with the
 * web app, which shows the «blind» chip by the same rule.
 */

/** What the rule reads of an exam. */
export interface BlindFacts {
  readonly blindMarking?: boolean | null;
}

/** Whether the exam's results are out: names come back to the teacher then. Filled in by the publication model. */
export function resultsOut(_exam: BlindFacts): boolean {
  return false;
}

/** The exam hides its students from its teacher now: blind marking is on and the results are not published yet. */
export function isBlindNow(exam: BlindFacts): boolean {
  return !!exam.blindMarking && !resultsOut(exam);
}

/** Blind marking is turned on or off only before the results are published (after it, it would hide nothing). */
export function blindMarkingMayChange(exam: BlindFacts): boolean {
  return !resultsOut(exam);
}
