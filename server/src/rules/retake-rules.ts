import { epochMs, type Instant } from './exam-time';
import { examTimesProblem, type ExamTimesProblem } from './limits';

/**
 * E6: FX (25–49 on the scale) lets a student retake the exam without re-studying the course; F (0–24) means
 * re-taking the course, so it gives no retake. The letter is the grade scale's (grade-scale.json).
 */
export const RETAKE_LETTER = 'FX';

export const mayRetake = (letter: string | null | undefined): boolean => letter === RETAKE_LETTER;

/** What is wrong with a retake's start and end: the exam's own rules first, then when a retake may be held. */
export type RetakeTimesProblem = ExamTimesProblem | 'STARTS_IN_PAST' | 'STARTS_BEFORE_ORIGINAL_ENDS';

export function retakeTimesProblem(
  original: { readonly endsAt: Instant },
  startsAt: Instant,
  endsAt: Instant,
  now: Instant,
): RetakeTimesProblem | null {
  const problem = examTimesProblem(startsAt, endsAt);
  if (problem) return problem;
  if (epochMs(startsAt) < epochMs(now)) return 'STARTS_IN_PAST';
  return epochMs(startsAt) < epochMs(original.endsAt) ? 'STARTS_BEFORE_ORIGINAL_ENDS' : null;
}
